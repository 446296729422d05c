"""Custody bank statements (CSV or JSON) and on-demand reconciliation."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint

from escrow.api.common import deps
from escrow.api.present import result
from escrow.api.schemas import CommandResultSchema, ImportResultSchema, ReconcileSchema
from escrow.app.reconciliation import import_statement, reconcile
from escrow.domain.statements import statement_id
from shared.authority import WRITE_DUTIES
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.problems import Problem
from shared.http.requests import commit_meta, path_uscc
from shared.http.schemas import problem_doc

blp = Blueprint("statements", __name__, url_prefix="/api/v1/institutions",
                description="存管银行对账单导入与对账（余额 对比 应付老人款项 + 风险保证金）")
MAX_BYTES = 5 * 1024 * 1024
CSV_EXAMPLE = "bank_txn_id,booked_on,amount_fen\nTX-0001,2025-03-01,1200000\n"
STATEMENT_BODY = {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
    "application/json": {"schema": {"type": "object", "properties": {"transactions": {
        "type": "array", "items": {"type": "object", "properties": {
            "bank_txn_id": {"type": "string"}, "booked_on": {"type": "string", "format": "date"},
            "amount_fen": {"type": "integer", "description": "入账为正，出账为负（分）"}}}}}}}}}


def _format() -> str:
    mimetype = request.mimetype or ""
    if mimetype in ("text/csv", "application/csv"):
        return "csv"
    if mimetype == "application/json":
        return "json"
    raise Problem(415, "Unsupported Media Type", "对账单须为 text/csv 或 application/json")


@blp.route("/<uscc>/statements", methods=["POST"])
@roles_required("civil_affairs", "finance", duties=WRITE_DUTIES)
@blp.response(200, ImportResultSchema, description="新流水已导入并对账；重复导入 outcome=unchanged")
@problem_doc(blp, 422, "有格式错误的行（errors 以行号为键）：整份未导入")
@problem_doc(blp, 404, "没有专户")
@blp.doc(parameters=[IDEMPOTENCY_KEY], requestBody=STATEMENT_BODY)
def import_(uscc: str) -> dict[str, Any]:
    """Import a custody statement; lines already imported are skipped."""
    uscc, d = path_uscc(uscc), deps()
    fmt, content = _format(), request.get_data(cache=True)
    if len(content) > MAX_BYTES:
        raise Problem(413, "Payload Too Large", "对账单不得超过 5 MB")
    handled = import_statement(uscc, content, fmt, store=d.store, clock=d.clock,
                               policies=d.policies, meta=commit_meta())
    imported = handled.events[0].transactions if handled.events else ()
    return result(d, uscc, handled, imported=len(imported),
                  statement_id=statement_id(content))


@blp.route("/<uscc>/reconciliations", methods=["POST"])
@roles_required("civil_affairs", "finance", duties=WRITE_DUTIES)
@blp.arguments(ReconcileSchema)
@blp.response(200, CommandResultSchema, description="缺口新发现或已补足时记录事件")
@problem_doc(blp, 404, "没有专户")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def reconcile_now(body: dict[str, Any], uscc: str) -> dict[str, Any]:
    """Reconcile now; the note is recorded as the resolution when a shortfall is covered."""
    uscc, d = path_uscc(uscc), deps()
    handled = reconcile(uscc, body["note"], store=d.store, clock=d.clock, policies=d.policies,
                        meta=commit_meta())
    return result(d, uscc, handled)
