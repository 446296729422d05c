"""POST /api/v1/checks/publication-overdue: run the scheduled deadline checks now."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from inspection.api.common import deps
from inspection.api.schemas import OverdueCheckSchema
from inspection.app.tasks import check_overdue
from inspection.domain.model import DEPARTMENTS
from shared.authority import LEADER
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/publication-overdue", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(LEADER,))
@blp.response(200, OverdueCheckSchema,
              description="本次新标记的逾期未公示任务和计划期满未录入结果的任务")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run_overdue_check() -> dict[str, Any]:
    """Raise PublicationOverdue for inspections not public within N working days of
    inspected_on, and InspectionTaskOverdue for drawn tasks with no result by their plan's
    end date; each once per task (repeating the check raises nothing new)."""
    d = deps()
    report = check_overdue(store=d.store, clock=d.clock, calendar=d.calendar, meta=commit_meta(),
                           rules=d.rules)
    return dataclasses.asdict(report)
