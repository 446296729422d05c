"""POST /api/v1/checks/overdue: run the scheduled overdue check now."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from fire_safety.api.common import deps
from fire_safety.api.schemas import OverdueReportSchema
from fire_safety.app.check_overdue import check_overdue
from shared.authority import LEADER
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/overdue", methods=["POST"])
@roles_required("fire_rescue", duties=(LEADER,))
@blp.response(200, OverdueReportSchema, description="本次新记录的逾期事件")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run_overdue_check() -> dict[str, Any]:
    """Raise late-service, overdue-rectification and overdue-re-inspection events."""
    report = check_overdue(deps=deps(), meta=commit_meta())
    return dataclasses.asdict(report)
