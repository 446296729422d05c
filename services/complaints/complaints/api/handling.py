"""Officials of the departments a complaint was routed to: read it in full, accept, refuse,
transfer, record the investigation, reply, merge a duplicate, erase the complainant's data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask_smorest import Blueprint

from complaints.api.common import deps, handled_view
from complaints.api.schemas import (
    TRACKING,
    EmptySchema,
    InvestigationSchema,
    MergeSchema,
    OfficialViewSchema,
    ReasonSchema,
    ReplySchema,
    ResultSchema,
    TransferSchema,
)
from complaints.app import codes
from complaints.app import complaints as uc
from shared.authority import BUSINESS_DUTIES, DEPARTMENTS, LEADER, WRITE_DUTIES
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.problems import Problem
from shared.http.requests import commit_meta, version_headers
from shared.http.schemas import problem_doc

blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                description="投诉办理：受理、不予受理、转办、调查、答复、合并重复投诉、删除个人信息")


def _id(raw: str) -> str:
    try:
        TRACKING(raw)
    except Exception as exc:  # marshmallow ValidationError
        raise Problem(422, "Unprocessable Entity", "投诉编号无效",
                      errors={"complaint_id": ["投诉编号为 TS 开头的 12 位编号"]}) from exc
    return codes.normalise(raw)


@blp.route("/<complaint_id>", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, OfficialViewSchema)
@problem_doc(blp, 403, "不是承办部门，或辖区不符")
@problem_doc(blp, 404, "没有该投诉")
def get_one(complaint_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The complaint with its words and the complainant's contact, for the handling
    departments only (each read is logged without its content)."""
    view = uc.for_official(deps(), _id(complaint_id), g.principal)
    return view, {**version_headers(view["version"]), "Cache-Control": "no-store"}


def _route(path: str, schema: Any, summary: str,
           duties: tuple[str, ...] = WRITE_DUTIES) -> Callable[[Any], Any]:
    def deco(fn: Any) -> Any:
        fn.__doc__ = summary
        fn = blp.doc(parameters=[IDEMPOTENCY_KEY])(fn)
        for status, text in ((403, "不是承办部门，或辖区/职责不符"), (404, "没有该投诉"),
                             (409, "当前环节不允许")):
            fn = problem_doc(blp, status, text)(fn)
        fn = blp.response(200, ResultSchema)(fn)
        fn = blp.arguments(schema)(fn)
        fn = roles_required(*DEPARTMENTS, duties=duties)(fn)
        return blp.route(path, methods=["POST"])(fn)

    return deco


def _answer(handled: Any) -> tuple[dict[str, Any], dict[str, str]]:
    return handled_view(handled), version_headers(handled.version)


@_route("/<complaint_id>/acceptance", EmptySchema,
        "Accept on behalf of the official's department; the reply deadline starts.",
        BUSINESS_DUTIES)
def accept(_: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.accept(deps(), _id(complaint_id), g.principal, commit_meta()))


@_route("/<complaint_id>/refusal", ReasonSchema, "Refuse to accept, with the reason.")
def refuse(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.refuse(deps(), _id(complaint_id), body["reason"], g.principal,
                             commit_meta()))


@_route("/<complaint_id>/transfer", TransferSchema,
        "Hand the department's part to other departments (their deadlines start).")
def transfer(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.transfer(deps(), _id(complaint_id), tuple(body["to_departments"]),
                               body["reason"], g.principal, commit_meta()))


@_route("/<complaint_id>/investigation", InvestigationSchema,
        "Record what the investigation found (the summary is encrypted).", BUSINESS_DUTIES)
def investigate(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.investigate(deps(), _id(complaint_id), body["finding"],
                                  body["summary"].strip(), g.principal, commit_meta()))


@_route("/<complaint_id>/reply", ReplySchema,
        "Reply to the complainant; the complaint closes when no department is left.")
def reply(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.reply(deps(), _id(complaint_id), body["reply"].strip(), g.principal,
                            commit_meta()))


@_route("/<complaint_id>/merge", MergeSchema,
        "Close a duplicate by merging it into an open complaint about the same institution.")
def merge(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.merge(deps(), _id(complaint_id), body["into"], g.principal,
                            commit_meta()))


@_route("/<complaint_id>/erasure", ReasonSchema,
        "Erase the complainant's contact and the words of a closed complaint for good "
        "(its data key is deleted).", (LEADER,))
def erase(body: dict[str, Any], complaint_id: str) -> Any:
    return _answer(uc.erase(deps(), _id(complaint_id), body["reason"], commit_meta()))
