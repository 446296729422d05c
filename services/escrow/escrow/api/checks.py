"""POST /api/v1/checks/overdue-refunds: run the scheduled check now."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from escrow.api.common import deps
from escrow.api.schemas import OverdueCheckResultSchema
from escrow.app.refunds import check_overdue
from shared.authority import LEADER
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/overdue-refunds", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.response(200, OverdueCheckResultSchema, description="本次新标记的 机构/合同")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run_overdue_check() -> dict[str, Any]:
    """Flag refunds still unpaid after the deadline (RefundOverdue, once per contract)."""
    d = deps()
    return dataclasses.asdict(check_overdue(store=d.store, clock=d.clock, meta=commit_meta()))
