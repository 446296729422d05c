"""Builders of credit commands, contexts and envelopes for the credit tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from credit.app.common import Context
from credit.domain.events import Party
from credit.domain.penalty import RecordPenalty, Sanction
from credit.domain.rules import (
    DEFAULT_MEASURES,
    DEFAULT_WEIGHTS,
    LevelRules,
    ListingRules,
    PenaltyRules,
)
from stdnum.cn import uscc as uscc_mod

from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
from shared.clock import CHINA_TZ, FixedClock
from shared.envelope import Envelope, ce_type, new_event_id
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.workdays import WorkCalendar

TODAY = date(2026, 11, 23)  # a Monday


def china_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), CHINA_TZ).astimezone(UTC)


def make_uscc(serial: int, prefix: str = "91", district: str = "500103") -> str:
    body = f"{prefix}{district}MA{serial:07d}"
    return body + uscc_mod.calc_check_digit(body)


def context(clock: FixedClock, store: Any = None, **rules: Any) -> Context:
    level = LevelRules(weights=dict(DEFAULT_WEIGHTS))
    listing = ListingRules(measures=DEFAULT_MEASURES)
    return Context(store=store or InMemoryEventStore("credit", clock), clock=clock,
                   calendar=WorkCalendar(),
                   penalty_rules=rules.get("penalty_rules", PenaltyRules()),
                   level_rules=rules.get("level_rules", level),
                   listing_rules=rules.get("listing_rules", listing),
                   id_salt="test-salt")


def meta(dept: str = "civil_affairs") -> CommitMeta:
    """A national official of ``dept`` with every business duty (the unit tests' caller)."""
    return CommitMeta.of(Authority(f"tester-{dept}", dept, (NATIONAL,), BUSINESS_DUTIES),
                         "cmd-test")


def org(uscc: str, name: str = "重庆幸福养老服务有限公司") -> Party:
    return Party("organisation", uscc, name, None, None)


def penalty_cmd(uscc: str, *sanctions: Sanction, decided_on: date = TODAY,
                today: date = TODAY, decision_no: str = "渝中民罚〔2026〕1号",
                district: str = "500103", violation: str = "fire_safety",
                party: Party | None = None) -> RecordPenalty:
    from credit.app.penalties import penalty_id_for

    return RecordPenalty(
        penalty_id=penalty_id_for(decision_no), decision_no=decision_no,
        party=party or org(uscc), violation_type=violation, legal_basis="《消防法》第六十条",
        sanctions=sanctions or (Sanction("fine", 5_000_000),), authority="重庆市渝中区民政局",
        district_code=district, decided_on=decided_on, summary="", today=today)


def envelope(service: str, name: str, data: dict[str, Any], subject: str = "s-1",
             version: int = 1, at: datetime | None = None, event_id: str | None = None
             ) -> Envelope:
    return Envelope(id=event_id or new_event_id(), source=f"/eldercare/{service}",
                    type=ce_type(service, name), subject=subject,
                    time=at or china_noon(TODAY), data=data, stream_version=version,
                    command_id="c", actor_dept="system", actor="t")


def overdue_major(uscc: str, hazard: str = "hz-1", detected: date = TODAY) -> dict[str, Any]:
    """A fire_safety RectificationOverdue of a major hazard (its published contract)."""
    return {"hazard_id": hazard, "inspection_id": "fi-1", "institution_uscc": uscc,
            "institution_name": "重庆幸福养老服务有限公司", "order_no": "渝中消限字〔2026〕7号",
            "level": "major", "deadline": (detected - timedelta(days=7)).isoformat(),
            "detected_on": detected.isoformat(), "reason": "deadline_passed",
            "overdue_by_workdays": 5}
