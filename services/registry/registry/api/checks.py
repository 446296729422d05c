"""POST /api/v1/checks/unfiled: run the scheduled unfiled check now."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from registry.api.common import deps
from registry.api.filing_schemas import UnfiledCheckResultSchema
from registry.app.check_unfiled import check_unfiled
from shared.authority import LEADER
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checks", __name__, url_prefix="/api/v1/checks",
                description="定时检查（可手动触发）")


@blp.route("/unfiled", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.response(200, UnfiledCheckResultSchema, description="本次新标记的统一社会信用代码")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def run_unfiled_check() -> dict[str, Any]:
    """Flag enterprises with 养老服务 in scope still unfiled after the grace period."""
    d = deps()
    report = check_unfiled(store=d.store, clock=d.clock, calendar=d.calendar, rules=d.rules,
                           meta=commit_meta())
    return dataclasses.asdict(report)
