"""Supervised custody accounts (opened/closed by civil affairs) and the institution view."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from escrow.api.common import deps
from escrow.api.present import escrow_of, result
from escrow.api.schemas import (
    CloseAccountSchema,
    CommandResultSchema,
    EscrowSchema,
    OpenAccountSchema,
)
from escrow.app.accounts import close_account, open_account
from escrow.app.common import load_escrow
from shared.authority import WRITE_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta, path_uscc, version_headers
from shared.http.schemas import problem_doc

blp = Blueprint("accounts", __name__, url_prefix="/api/v1/institutions",
                description="资金监管专户（银行第三方存管）与机构资金概况")


@blp.route("/<uscc>/account", methods=["POST"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(OpenAccountSchema)
@blp.response(201, CommandResultSchema, description="专户已开立（仅保存账号掩码）")
@blp.alt_response(200, schema=CommandResultSchema, description="相同专户已开立：不重复记录")
@problem_doc(blp, 409, "已有另一个开立中的专户")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Open the institution's supervised custody account."""
    uscc, d = path_uscc(uscc), deps()
    handled = open_account(uscc, body["jurisdiction"], body["bank"].strip(),
                           body["account_number"], body["custody_agreement_id"].strip(),
                           store=d.store, clock=d.clock, policies=d.policies,
                           meta=commit_meta())
    status = 201 if handled.events else 200
    return result(d, uscc, handled), status, version_headers(handled.version)


@blp.route("/<uscc>/account/closure", methods=["POST"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(CloseAccountSchema)
@blp.response(200, CommandResultSchema)
@problem_doc(blp, 404, "没有专户")
@problem_doc(blp, 409, "仍有应退老人款项")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def close(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Close the account once nothing is owed to residents."""
    uscc, d = path_uscc(uscc), deps()
    handled = close_account(uscc, body["reason"], store=d.store, clock=d.clock,
                            meta=commit_meta())
    return result(d, uscc, handled), version_headers(handled.version)


@blp.route("/<uscc>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, EscrowSchema)
@problem_doc(blp, 404, "没有该机构的资金监管记录")
def get_one(uscc: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Account, balance, liabilities, reserve, open shortfall and overdue refunds."""
    uscc, d = path_uscc(uscc), deps()
    state, version = load_escrow(d.store, uscc, reader=g.principal)
    return escrow_of(d, uscc, state, version), version_headers(version)
