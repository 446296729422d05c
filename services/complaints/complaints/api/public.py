"""The public's endpoints (no token): a challenge, a complaint, its status and a rating.

The public site (projection) calls them for the complainant; the check code travels in the
body of a POST, never in a URL (URLs end up in logs).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_smorest import Blueprint

from complaints.api.common import deps, handled_view, receipt_view
from complaints.api.schemas import (
    CategorySchema,
    CredentialsSchema,
    PublicSubmissionSchema,
    RatingSchema,
    ReceiptSchema,
    ResultSchema,
    StatusSchema,
)
from complaints.app import challenge
from complaints.app import complaints as uc
from complaints.domain.rules import CATEGORIES
from shared.eventstore import CommitMeta
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.problems import Problem
from shared.http.schemas import problem_doc

blp = Blueprint("public", __name__, url_prefix="/api/v1/public/complaints",
                description="群众投诉举报（公开，无需令牌）：提交、凭编号和查询码查询进度、评价")
PUBLIC_ACTOR = "public"


def _meta() -> CommitMeta:
    return CommitMeta.system(str(uuid.uuid4()), actor=PUBLIC_ACTOR)


def _fields(body: dict[str, Any]) -> uc.Submission:
    return uc.Submission(
        category=body["category"], description=body["description"].strip(),
        institution_uscc=body["institution_uscc"],
        institution_name=body["institution_name"].strip(), district=body["district"],
        anonymous=body["anonymous"], contact_name=body["contact_name"].strip(),
        contact_phone=body["contact_phone"].strip())


@blp.route("/categories", methods=["GET"])
@blp.response(200, CategorySchema(many=True))
def categories() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The categories a complaint can have, with their names (the public site's form and
    statistics use them)."""
    rows = [{"code": code, "label": label, "urgent": deps().rules.is_urgent(code)}
            for code, label in CATEGORIES.items()]
    return rows, {"Cache-Control": "public, max-age=300"}


@blp.route("/challenge", methods=["GET"])
@blp.response(200, description="ALTCHA 工作量证明题（SHA-256），20 分钟内有效")
def get_challenge() -> tuple[dict[str, Any], dict[str, str]]:
    """A fresh challenge for the form (never cached)."""
    d = deps()
    return (challenge.issue(d.secrets.challenge_key, challenge.now_utc()),
            {"Cache-Control": "no-store"})


@blp.route("", methods=["POST"])
@blp.arguments(PublicSubmissionSchema)
@blp.response(201, ReceiptSchema, description="已收到：投诉编号和查询码（查询码只显示这一次）")
@blp.alt_response(200, schema=ReceiptSchema, description="同一表单重复提交：同一编号")
@problem_doc(blp, 409, "该提交凭据已用于另一件投诉")
@problem_doc(blp, 422, "字段有误，或工作量证明无效/过期")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def submit(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """File a complaint. Anonymous unless the complainant leaves a name and phone; contact
    and words are encrypted under the complaint's own key."""
    d = deps()
    origin = challenge.verify(d.secrets.challenge_key, body["altcha"])
    if origin is None:
        raise Problem(422, "Unprocessable Entity", "验证未通过或已过期，请刷新页面后重新提交",
                      errors={"altcha": ["工作量证明无效或已过期"]})
    receipt = uc.submit(d, _fields(body), f"web|{origin}", "web", _meta())
    return receipt_view(receipt), 201 if receipt.created else 200, {"Cache-Control": "no-store"}


@blp.route("/status", methods=["POST"])
@blp.arguments(CredentialsSchema)
@blp.response(200, StatusSchema)
@problem_doc(blp, 404, "编号或查询码不正确")
def status(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Where the complaint stands, with each department's reply once given."""
    view = uc.status_for_complainant(deps(), body["complaint_id"], body["check_code"])
    return view, {"Cache-Control": "no-store"}


@blp.route("/rating", methods=["POST"])
@blp.arguments(RatingSchema)
@blp.response(200, ResultSchema)
@problem_doc(blp, 404, "编号或查询码不正确")
@problem_doc(blp, 409, "尚未答复办结，或已评价")
def rating(body: dict[str, Any]) -> dict[str, Any]:
    """Rate the reply once the complaint is closed with a reply (once; the same again is
    accepted, a different one refused)."""
    return handled_view(uc.rate(deps(), body["complaint_id"], body["check_code"],
                                body["rating"], _meta()))
