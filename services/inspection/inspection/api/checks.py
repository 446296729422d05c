"""POST /api/v1/checks/publication-overdue: run the scheduled deadline check now."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from inspection.api.common import deps
from inspection.api.schemas import OverdueCheckSchema
from inspection.app.tasks import check_overdue
from inspection.domain.model import DEPARTMENTS
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/publication-overdue", methods=["POST"])
@roles_required(*DEPARTMENTS)
@blp.response(200, OverdueCheckSchema, description="本次新标记的逾期未公开任务")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run_overdue_check() -> dict[str, Any]:
    """Raise PublicationOverdue for results not published within the deadline."""
    d = deps()
    report = check_overdue(store=d.store, clock=d.clock, calendar=d.calendar, meta=commit_meta(),
                           rules=d.rules)
    return dataclasses.asdict(report)
