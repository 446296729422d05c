"""The risk service's events (stream risk-<USCC>), one frozen dataclass per type
(contracts/events/risk). Reasons name the rules and the things behind them (complaint,
hazard, shortfall ids), never what a complaint said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.domain import Event, EventCatalog, Record


@dataclass(frozen=True)
class Reason(Record):
    rule: str
    label: str
    count: int
    weight: int
    refs: tuple[str, ...]
    department: str


@dataclass(frozen=True)
class RiskSignalRecorded(Event):
    uscc: str
    source_event_id: str
    source: str  # the service whose event it was
    kind: str
    ref: str
    on: date
    change: str


@dataclass(frozen=True)
class AlertFacts(Record):
    """What an alert says when it is raised or escalated."""

    uscc: str
    alert_id: str
    level: str
    score: int
    reasons: tuple[Reason, ...]
    departments: tuple[str, ...]


@dataclass(frozen=True)
class RiskAlertRaised(AlertFacts, Event):
    raised_on: date


@dataclass(frozen=True)
class RiskAlertEscalated(AlertFacts, Event):
    escalated_on: date


@dataclass(frozen=True)
class RiskAlertResolved(Event):
    uscc: str
    alert_id: str
    level: str  # the level it had
    score: int  # the score now
    resolved_on: date


@dataclass(frozen=True)
class TargetedInspectionNoted(Event):
    """The targeted inspection an alert opened has published its result."""

    uscc: str
    alert_id: str
    inspection_id: str
    problem_found: bool
    published_on: date


@dataclass(frozen=True)
class RiskClassChanged(Event):
    uscc: str
    risk_class: str  # low | medium | high | critical
    previous: str
    changed_on: date


RiskEvent = (RiskSignalRecorded | RiskAlertRaised | RiskAlertEscalated | RiskAlertResolved
             | TargetedInspectionNoted | RiskClassChanged)
EVENTS = EventCatalog(RiskSignalRecorded, RiskAlertRaised, RiskAlertEscalated,
                      RiskAlertResolved, TargetedInspectionNoted, RiskClassChanged)
