"""State of stream dishonesty-<USCC>: the latest listing cycle and its measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class MeasureState:
    department: str
    code: str
    text: str
    due_by: date
    executed_on: date | None = None
    overdue_flagged: bool = False
    lifted_on: date | None = None


@dataclass(frozen=True)
class Listing:
    """One cycle: proposed → listed or rejected → delisted; a wrong listing → corrected."""

    listing_id: str
    status: str
    institution_name: str
    ground: str
    ground_detail: str
    responsible_persons: tuple[dict[str, Any], ...]
    decision_no: str | None = None
    listed_until: date | None = None
    removal_allowed_from: date | None = None
    decision_no_delisted: str | None = None
    repair_decisions: frozenset[str] = frozenset()
    correction_decision_no: str | None = None
    measures: dict[str, MeasureState] = field(default_factory=dict)


@dataclass(frozen=True)
class Dishonesty:
    uscc: str = ""
    cycles: int = 0
    current: Listing | None = None
    source_events: frozenset[str] = frozenset()


def initial() -> Dishonesty:
    return Dishonesty()


def evolve(state: Dishonesty, name: str, data: dict[str, Any]) -> Dishonesty:
    """Apply one stored event; unknown names leave the state as it is."""
    apply = _APPLY.get(name)
    return apply(state, data) if apply else state


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _proposed(s: Dishonesty, d: dict[str, Any]) -> Dishonesty:
    listing = Listing(d["listing_id"], "proposed", d["institution_name"], d["ground"],
                      d["ground_detail"], tuple(d["responsible_persons"]))
    seen = s.source_events | ({d["source_event_id"]} if d["source_event_id"] else set())
    return replace(s, uscc=d["uscc"], cycles=s.cycles + 1, current=listing, source_events=seen)


def _cur(s: Dishonesty, **changes: Any) -> Dishonesty:
    assert s.current is not None, "listing event before a proposal"
    return replace(s, current=replace(s.current, **changes))


def _listed(s: Dishonesty, d: dict[str, Any]) -> Dishonesty:
    return _cur(s, status="listed", decision_no=d["decision_no"],
                responsible_persons=tuple(d["responsible_persons"]),
                listed_until=_day(d["listed_until"]),
                removal_allowed_from=_day(d["removal_allowed_from"]))


def _measure(s: Dishonesty, mid: str, **changes: Any) -> Dishonesty:
    assert s.current is not None
    measures = {**s.current.measures, mid: replace(s.current.measures[mid], **changes)}
    return _cur(s, measures=measures)


def _issued(s: Dishonesty, d: dict[str, Any]) -> Dishonesty:
    assert s.current is not None
    m = MeasureState(d["department"], d["measure_code"], d["measure_text"], _day(d["due_by"]))
    return _cur(s, measures={**s.current.measures, d["measure_id"]: m})


def _repair(s: Dishonesty, d: dict[str, Any]) -> Dishonesty:
    assert s.current is not None
    return _cur(s, repair_decisions=s.current.repair_decisions | {d["decision_no"]})


_APPLY: dict[str, Callable[[Dishonesty, dict[str, Any]], Dishonesty]] = {
    "SeriousDishonestyProposed": _proposed,
    "SeriousDishonestyProposalRejected": lambda s, d: _cur(s, status="rejected"),
    "SeriousDishonestyListed": _listed,
    "SeriousDishonestyDelisted": lambda s, d: _cur(s, status="delisted",
                                                   decision_no_delisted=d["decision_no"]),
    "CreditRepairDecided": _repair,
    "ListingCorrected": lambda s, d: _cur(s, status="corrected",
                                          correction_decision_no=d["decision_no"]),
    "JointMeasureIssued": _issued,
    "JointMeasureExecuted": lambda s, d: _measure(s, d["measure_id"],
                                                  executed_on=_day(d["executed_on"])),
    "JointMeasureOverdue": lambda s, d: _measure(s, d["measure_id"], overdue_flagged=True),
    "JointMeasureLifted": lambda s, d: _measure(s, d["measure_id"],
                                                lifted_on=_day(d["lifted_on"])),
}
