"""Use case: every scheduled check in one run (the scheduler and POST /checks/run)."""

from __future__ import annotations

from typing import Any

from credit.app.common import Context
from credit.app.listings import check_listings
from credit.app.penalties import check_overdue_disclosures
from credit.app.records import reassess_levels
from shared.authority import LEADER, Scope
from shared.eventstore import CommitMeta


def run_checks(ctx: Context, meta: CommitMeta) -> dict[str, Any]:
    """Overdue disclosures, expired listings and overdue measures, then fading levels. It
    runs over every district: a national civil-affairs leader's call (the scheduler passes)."""
    meta = meta.authorized(Scope(departments=("civil_affairs",), duties=(LEADER,),
                                 national=True))
    listings = check_listings(ctx, meta)
    return {"as_of": ctx.today(), "overdue_disclosures": check_overdue_disclosures(ctx, meta),
            "expired_listings": listings["expired"],
            "overdue_measures": listings["overdue_measures"],
            "level_changes": reassess_levels(ctx, meta)}
