"""The institution's risk aggregate (stream risk-<USCC>): the signals recorded from other
services' events, the open alert, the risk class; and the assessment that raises, escalates
and resolves alerts.

Invariants (tests/unit/risk): an event recorded twice changes nothing; the level follows the
score; an orange or red alert is not resolved before its targeted inspection's result is
published; at most one alert is open; the class always matches the open alert's level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from risk.domain.events import (
    Reason,
    RiskAlertEscalated,
    RiskAlertRaised,
    RiskAlertResolved,
    RiskClassChanged,
    RiskEvent,
    RiskSignalRecorded,
    TargetedInspectionNoted,
)
from risk.domain.rules import CLASSES, INSPECTING_LEVELS, RiskRule, Rules, rank
from risk.domain.signals import CLOSED, HAPPENED, OPENED, Signal


@dataclass(frozen=True)
class Alert:
    alert_id: str
    level: str
    reached: str  # the highest level it reached
    reasons: tuple[Reason, ...]
    raised_on: date
    inspected: bool = False

    @property
    def awaiting_inspection(self) -> bool:
        return self.reached in INSPECTING_LEVELS and not self.inspected


@dataclass(frozen=True)
class Risk:
    uscc: str = ""
    seen: frozenset[str] = frozenset()  # source event ids already recorded
    happened: tuple[tuple[str, str, date], ...] = ()  # (kind, ref, on)
    open: frozenset[tuple[str, str]] = frozenset()  # (kind, ref) conditions open now
    alert: Alert | None = None
    alerts: int = 0  # how many were ever raised (the next id)
    risk_class: str = "low"
    history: tuple[str, ...] = field(default=())  # alert ids, oldest first


def initial() -> Risk:
    return Risk()


def evolve(state: Risk, event: RiskEvent) -> Risk:
    match event:
        case RiskSignalRecorded():
            s = replace(state, uscc=event.uscc, seen=state.seen | {event.source_event_id})
            key = (event.kind, event.ref)
            if event.change == HAPPENED:
                return replace(s, happened=(*s.happened, (event.kind, event.ref, event.on)))
            if event.change == OPENED:
                return replace(s, open=s.open | {key})
            return replace(s, open=s.open - {key})
        case RiskAlertRaised():
            return replace(state, uscc=event.uscc, alerts=state.alerts + 1,
                           history=(*state.history, event.alert_id),
                           alert=Alert(event.alert_id, event.level, event.level,
                                       event.reasons, event.raised_on))
        case RiskAlertEscalated():
            assert state.alert is not None
            return replace(state, alert=replace(state.alert, level=event.level,
                                                reached=event.level, reasons=event.reasons))
        case RiskAlertResolved():
            return replace(state, alert=None)
        case TargetedInspectionNoted():
            if state.alert is None or state.alert.alert_id != event.alert_id:
                return state
            return replace(state, alert=replace(state.alert, inspected=True))
        case RiskClassChanged():
            return replace(state, risk_class=event.risk_class)
    return state


# -- assessment ----------------------------------------------------------------------------


def fired(state: Risk, rules: Rules, today: date) -> list[Reason]:
    """The rules that fire today, each with the things behind it."""
    out = []
    for r in rules.risk_rules:
        refs = _refs(state, r, today)
        if len(refs) >= r.threshold:
            out.append(Reason(r.code, r.label, len(refs), r.weight, tuple(sorted(refs)),
                              r.department))
    return out


def _refs(state: Risk, r: RiskRule, today: date) -> set[str]:
    if r.window_days == 0:
        return {ref for kind, ref in state.open if kind == r.signal}
    since = today - timedelta(days=r.window_days)
    return {ref for kind, ref, on in state.happened if kind == r.signal and since < on <= today}


def assess(state: Risk, rules: Rules, today: date) -> list[RiskEvent]:
    """Raise, escalate or resolve the alert so that it matches today's score."""
    reasons = fired(state, rules, today)
    score = sum(r.weight for r in reasons)
    level = rules.level_of(score)
    departments = tuple(sorted({r.department for r in reasons}))
    out: list[RiskEvent] = []
    alert = state.alert
    if alert is not None and rank(level) > rank(alert.reached):
        out.append(RiskAlertEscalated(state.uscc, alert.alert_id, str(level), score,
                                      tuple(reasons), departments, today))
    elif alert is not None and rank(level) < rank(alert.level) and not alert.awaiting_inspection:
        out.append(RiskAlertResolved(state.uscc, alert.alert_id, alert.level, score, today))
        alert = None
    if alert is None and level is not None:
        out.append(RiskAlertRaised(state.uscc, f"RA-{state.uscc}-{state.alerts + 1}", level,
                                   score, tuple(reasons), departments, today))
    after = state
    for e in out:
        after = evolve(after, e)
    now_class = CLASSES[after.alert.level if after.alert else None]
    if now_class != state.risk_class:
        out.append(RiskClassChanged(state.uscc, now_class, state.risk_class, today))
    return out


def decide_record(state: Risk, uscc: str, event_id: str, source: str,
                  signals: list[Signal], rules: Rules, today: date) -> list[RiskEvent]:
    """Record what one source event says, then re-assess; nothing when it was recorded, or
    when it says nothing new: a closing signal of something that is not open (every filing
    closes a suspicion of unfiled operation that almost never was raised) changes neither
    the signals nor the assessment, so it is not stored."""
    recorded = [RiskSignalRecorded(uscc, event_id, source, s.kind, s.ref, s.on, s.change)
                for s in signals if s.uscc == uscc
                and (s.change != CLOSED or (s.kind, s.ref) in state.open)]
    if event_id in state.seen or not recorded:
        return []
    after = state
    for e in recorded:
        after = evolve(after, e)
    return [*recorded, *assess(after, rules, today)]


def decide_inspected(state: Risk, alert_id: str, inspection_id: str, problem_found: bool,
                     published_on: date, rules: Rules, today: date) -> list[RiskEvent]:
    """The alert's targeted inspection has published its result; re-assess."""
    if state.alert is None or state.alert.alert_id != alert_id or state.alert.inspected:
        return []
    noted = TargetedInspectionNoted(state.uscc, alert_id, inspection_id, problem_found,
                                    published_on)
    return [noted, *assess(evolve(state, noted), rules, today)]

