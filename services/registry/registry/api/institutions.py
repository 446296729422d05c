"""Filing (备案), change, cancellation and the current state of one institution."""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from flask_smorest import Blueprint

from registry.api.common import deps, if_match_version
from registry.api.filing_schemas import (
    CancellationSchema,
    FilingChangeSchema,
    FilingResultSchema,
    FilingSchema,
    InstitutionSchema,
)
from registry.app.cancel_filing import cancel_filing
from registry.app.change_filing import change_filing
from registry.app.common import Handled
from registry.app.file_institution import file_institution
from registry.app.queries import get_institution
from registry.domain.model import FilingDetails
from shared.authority import WRITE_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta, path_uscc, version_headers
from shared.http.schemas import problem_doc

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions",
                description="养老机构备案、变更、注销与查询")

IF_MATCH = {"in": "header", "name": "If-Match", "required": False,
            "schema": {"type": "string"},
            "description": "期望的版本号（GET 返回的 ETag）；不一致时 409"}


def _result(uscc: str, handled: Handled, outcome: str,
            changed: list[str] | None = None) -> dict[str, Any]:
    return {"uscc": uscc, "version": handled.version, "filing": handled.state.filing,
            "outcome": outcome if handled.events else "unchanged",
            "changed_fields": changed or []}


@blp.route("/<uscc>/filing", methods=["POST"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(FilingSchema)
@blp.response(201, FilingResultSchema, description="已备案，发放备案回执（含注销后重新备案）")
@blp.alt_response(200, schema=FilingResultSchema,
                  description="已以相同内容备案：返回原回执，不重复记录")
@problem_doc(blp, 409, "已备案且内容不同（请用 PATCH 变更）")
@problem_doc(blp, 403, "部门、职责或辖区不符")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def file_filing(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """File an institution (养老机构备案)."""
    uscc, d = path_uscc(uscc), deps()
    handled = file_institution(uscc, FilingDetails(**body), store=d.store, clock=d.clock,
                               calendar=d.calendar, rules=d.rules, meta=commit_meta())
    headers = {**version_headers(handled.version),
               "Location": url_for("institutions.get_one", uscc=uscc)}
    return _result(uscc, handled, "filed"), 201 if handled.events else 200, headers


@blp.route("/<uscc>/filing", methods=["PATCH"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(FilingChangeSchema)
@blp.response(200, FilingResultSchema, description="变更结果（无变化时 outcome=unchanged）")
@problem_doc(blp, 404, "尚未备案")
@problem_doc(blp, 409, "备案已注销，或 If-Match 版本不一致")
@problem_doc(blp, 403, "部门、职责或辖区不符")
@blp.doc(parameters=[IDEMPOTENCY_KEY, IF_MATCH])
def change(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Change filed items (备案变更)."""
    uscc, d = path_uscc(uscc), deps()
    handled = change_filing(uscc, body, store=d.store, clock=d.clock, meta=commit_meta(),
                            expected_version=if_match_version())
    changed = list(handled.events[0].changed_fields) if handled.events else []
    return _result(uscc, handled, "changed", changed), version_headers(handled.version)


@blp.route("/<uscc>/filing/cancellation", methods=["POST"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(CancellationSchema)
@blp.response(200, FilingResultSchema, description="已注销；相同理由重复提交返回原结果")
@problem_doc(blp, 404, "尚未备案")
@problem_doc(blp, 409, "已以不同理由注销")
@problem_doc(blp, 403, "部门、职责或辖区不符")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def cancel(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Cancel a filing (备案注销)."""
    uscc, d = path_uscc(uscc), deps()
    handled = cancel_filing(uscc, body["reason"], store=d.store, clock=d.clock,
                            meta=commit_meta())
    return _result(uscc, handled, "cancelled"), version_headers(handled.version)


@blp.route("/<uscc>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, InstitutionSchema)
@problem_doc(blp, 404, "登记系统中没有该机构")
@problem_doc(blp, 403, "机构不在本账号辖区内")
def get_one(uscc: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Current registry state of one institution (any department, within its regions)."""
    uscc, d = path_uscc(uscc), deps()
    state, version = get_institution(uscc, store=d.store, reader=g.principal)
    body = {"uscc": uscc, "version": version, "registration": state.registration,
            "filing": state.filing, "unfiled_suspected_on": state.unfiled_flagged_on}
    return body, version_headers(version)
