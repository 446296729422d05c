"""Complaints from the hotline systems (12345, 12349): machine clients of the identity
service with the ``complaints:intake`` scope."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from complaints.api.common import deps, receipt_view
from complaints.api.public import _fields
from complaints.api.schemas import HotlineSubmissionSchema, ReceiptSchema
from complaints.app import complaints as uc
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

INTAKE_SCOPE = "complaints:intake"
blp = Blueprint("intake", __name__, url_prefix="/api/v1/intake/complaints",
                description="热线（12345/12349）转来的投诉：工单号即幂等键")


@blp.route("", methods=["POST"])
@roles_required("civil_affairs", scope=INTAKE_SCOPE)
@blp.arguments(HotlineSubmissionSchema)
@blp.response(201, ReceiptSchema)
@blp.alt_response(200, schema=ReceiptSchema, description="同一工单再次推送：同一编号")
@problem_doc(blp, 409, "工单号已用于另一件投诉")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def push(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A hotline ticket becomes a complaint (the hotline tells the caller the tracking number
    and check code)."""
    origin = f"{body['channel']}|{g.principal.sub}|{body['ticket'].strip()}"
    receipt = uc.submit(deps(), _fields(body), origin, body["channel"], commit_meta())
    return receipt_view(receipt), 201 if receipt.created else 200
