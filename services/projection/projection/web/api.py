"""JSON API of the public directory: /api/v1/institutions (public, no token)."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.http import quote_etag

from projection.web import reads
from projection.web.params import AsOfArgs, PageArgs
from projection.web.schemas import InstitutionDetailSchema, InstitutionPageSchema
from shared.http.problems import Problem

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions",
                description="养老机构公开信息（无需令牌）")


@blp.route("")
class Institutions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, InstitutionPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """养老机构名录（分页，可按名称、区县、经营性质、备案状态筛选）"""
        return reads.find_page(args)


@blp.route("/<string:uscc>")
class Institution(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, InstitutionDetailSchema)
    @blp.alt_response(404, description="未找到该机构")
    @blp.alt_response(304, description="与 If-None-Match 所给 ETag 相同，未变化")
    def get(self, args: dict[str, Any], uscc: str) -> Any:
        """单个机构的公开信息与变更记录（as_of 可查看历史某日的状态）

        当前状态的回答带弱 ETag；再次读取时在 If-None-Match 中带上它，未变化则回答 304
        （不含正文）。"""
        as_of = args.get("as_of")
        if as_of is None and request.if_none_match:
            tag = reads.institution_tag(uscc)
            if tag is not None and request.if_none_match.contains_weak(tag):
                return Response(status=304, headers={"ETag": quote_etag(tag, weak=True)})
        found = reads.find_institution(uscc, as_of)
        if found is None:
            raise Problem(404, "Not Found", "未找到该机构的公开信息")
        if as_of is not None or found.get("_tag") is None:
            return found
        return found, 200, {"ETag": quote_etag(found["_tag"], weak=True)}
