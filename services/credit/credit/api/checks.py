"""POST /api/v1/checks/run: run the scheduled checks now."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from credit.api.common import ctx
from credit.api.schemas import CheckReportSchema
from credit.app.checks import run_checks
from shared.authority import LEADER
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/run", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.response(200, CheckReportSchema)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run() -> dict[str, Any]:
    """Overdue disclosures, expired listings, overdue measures and fading credit levels."""
    return run_checks(ctx(), commit_meta())
