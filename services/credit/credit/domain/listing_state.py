"""State of stream dishonesty-<USCC>: the latest listing cycle and its measures."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from credit.domain.events import (
    CreditRepairDecided,
    JointMeasureExecuted,
    JointMeasureIssued,
    JointMeasureLifted,
    JointMeasureOverdue,
    ListingCorrected,
    ResponsiblePerson,
    SeriousDishonestyDelisted,
    SeriousDishonestyListed,
    SeriousDishonestyProposalRejected,
    SeriousDishonestyProposed,
)
from shared.domain import Event


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
    responsible_persons: tuple[ResponsiblePerson, ...]
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


def evolve(state: Dishonesty, event: Event) -> Dishonesty:
    """Apply one stored event; other types leave the state as it is."""
    match event:
        case SeriousDishonestyProposed():
            listing = Listing(event.listing_id, "proposed", event.institution_name, event.ground,
                              event.ground_detail, event.responsible_persons)
            seen = state.source_events | (
                {event.source_event_id} if event.source_event_id else set())
            return replace(state, uscc=event.uscc, cycles=state.cycles + 1, current=listing,
                           source_events=seen)
        case SeriousDishonestyProposalRejected():
            return _cur(state, status="rejected")
        case SeriousDishonestyListed():
            return _cur(state, status="listed", decision_no=event.decision_no,
                        responsible_persons=event.responsible_persons,
                        listed_until=event.listed_until,
                        removal_allowed_from=event.removal_allowed_from)
        case SeriousDishonestyDelisted():
            return _cur(state, status="delisted", decision_no_delisted=event.decision_no)
        case CreditRepairDecided():
            assert state.current is not None
            return _cur(state, repair_decisions=state.current.repair_decisions
                        | {event.decision_no})
        case ListingCorrected():
            return _cur(state, status="corrected", correction_decision_no=event.decision_no)
        case JointMeasureIssued():
            assert state.current is not None
            m = MeasureState(event.department, event.measure_code, event.measure_text,
                             event.due_by)
            return _cur(state, measures={**state.current.measures, event.measure_id: m})
        case JointMeasureExecuted():
            return _measure(state, event.measure_id, executed_on=event.executed_on)
        case JointMeasureOverdue():
            return _measure(state, event.measure_id, overdue_flagged=True)
        case JointMeasureLifted():
            return _measure(state, event.measure_id, lifted_on=event.lifted_on)
    return state


def _cur(s: Dishonesty, **changes: Any) -> Dishonesty:
    assert s.current is not None, "listing event before a proposal"
    return replace(s, current=replace(s.current, **changes))


def _measure(s: Dishonesty, mid: str, **changes: Any) -> Dishonesty:
    assert s.current is not None
    measures = {**s.current.measures, mid: replace(s.current.measures[mid], **changes)}
    return _cur(s, measures=measures)
