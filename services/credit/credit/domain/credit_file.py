"""An institution's credit file (信用档案): records from every source and the A/B/C/D level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from credit.domain.model import DomainEvent, LevelRules, add_months


@dataclass(frozen=True)
class AddRecord:
    """A credit record mapped from some service's event (its id kept for idempotency)."""

    uscc: str
    record_id: str
    source: str
    source_event_id: str
    source_type: str
    category: str
    occurred_on: date
    summary: str


@dataclass(frozen=True)
class Record:
    category: str
    points: int
    occurred_on: date
    withdrawn: bool = False


@dataclass(frozen=True)
class CreditFile:
    """State of stream credit-<USCC>."""

    uscc: str = ""
    records: dict[str, Record] = field(default_factory=dict)
    source_events: frozenset[str] = frozenset()
    level: str | None = None


def fade(occurred_on: date, today: date, rules: LevelRules) -> float:
    """Full weight for ``full_weight_months``, then linearly down to 0 at ``fade_out_months``."""
    full_until = add_months(occurred_on, rules.full_weight_months)
    zero_at = add_months(occurred_on, rules.fade_out_months)
    if today <= full_until:
        return 1.0
    if today >= zero_at:
        return 0.0
    return (zero_at - today).days / (zero_at - full_until).days


def active(records: dict[str, Record]) -> list[Record]:
    return [r for r in records.values() if not r.withdrawn]


def assess(records: dict[str, Record], today: date, rules: LevelRules) -> tuple[str, int]:
    """(level, score): score = 100 − Σ points × fade; some categories force level D."""
    live = active(records)
    score = max(0, round(100 - sum(r.points * fade(r.occurred_on, today, rules) for r in live)))
    if any(r.category in rules.force_d_categories for r in live):
        return "D", score
    for level, minimum in rules.thresholds:
        if score >= minimum:
            return level, score
    return "D", score


def points_for(category: str, rules: LevelRules) -> int:
    """Weight of the category, else of its family ("penalty.x" → "penalty"), else the default."""
    family = category.split(".", 1)[0]
    return rules.weights.get(category, rules.weights.get(family, rules.default_weight))


def _level_event(state: CreditFile, records: dict[str, Record], today: date, rules: LevelRules,
                 reason: str) -> list[DomainEvent]:
    level, score = assess(records, today, rules)
    if level == state.level:
        return []
    return [DomainEvent("CreditLevelChanged", {
        "institution_uscc": state.uscc, "level": level, "previous_level": state.level,
        "score": score, "as_of": today.isoformat(), "reason": reason,
        "records_counted": len(active(records))})]


def decide_add(state: CreditFile, cmd: AddRecord, today: date,
               rules: LevelRules) -> list[DomainEvent]:
    """Add once per source event and record id; the level follows when it changes."""
    if cmd.source_event_id in state.source_events or cmd.record_id in state.records:
        return []
    points = points_for(cmd.category, rules)
    added = DomainEvent("CreditRecordAdded", {
        "uscc": cmd.uscc, "record_id": cmd.record_id, "source": cmd.source,
        "source_event_id": cmd.source_event_id, "source_type": cmd.source_type,
        "category": cmd.category, "points": points, "occurred_on": cmd.occurred_on.isoformat(),
        "summary": cmd.summary})
    records = {**state.records, cmd.record_id: Record(cmd.category, points, cmd.occurred_on)}
    return [added, *_level_event(replace(state, uscc=cmd.uscc), records, today, rules,
                                 "record_added")]


def decide_withdraw(state: CreditFile, record_id: str, reason: str, today: date,
                    rules: LevelRules) -> list[DomainEvent]:
    """Withdraw a record (its source decision was revoked, the listing ended...); once."""
    record = state.records.get(record_id)
    if record is None or record.withdrawn:
        return []
    withdrawn = DomainEvent("CreditRecordWithdrawn", {
        "uscc": state.uscc, "record_id": record_id, "reason": reason,
        "withdrawn_on": today.isoformat()})
    records = {**state.records, record_id: replace(record, withdrawn=True)}
    return [withdrawn, *_level_event(state, records, today, rules, "record_withdrawn")]


def decide_reassess(state: CreditFile, today: date, rules: LevelRules) -> list[DomainEvent]:
    """Records fade with time: the scheduler re-assesses and publishes a changed level."""
    if not state.uscc:
        return []
    return _level_event(state, state.records, today, rules, "decay")


def initial() -> CreditFile:
    return CreditFile()


def evolve(state: CreditFile, name: str, data: dict[str, Any]) -> CreditFile:
    """Apply one stored event; unknown names leave the state as it is."""
    apply = _APPLY.get(name)
    return apply(state, data) if apply else state


def _added(state: CreditFile, d: dict[str, Any]) -> CreditFile:
    record = Record(d["category"], d["points"], date.fromisoformat(d["occurred_on"]))
    return replace(state, uscc=d["uscc"], records={**state.records, d["record_id"]: record},
                   source_events=state.source_events | {d["source_event_id"]})


def _withdrawn(state: CreditFile, d: dict[str, Any]) -> CreditFile:
    record = replace(state.records[d["record_id"]], withdrawn=True)
    return replace(state, records={**state.records, d["record_id"]: record})


_APPLY: dict[str, Callable[[CreditFile, dict[str, Any]], CreditFile]] = {
    "CreditRecordAdded": _added,
    "CreditRecordWithdrawn": _withdrawn,
    "CreditLevelChanged": lambda s, d: replace(s, level=d["level"]),
}


def repeated(state: CreditFile, category: str, after: date, except_id: str) -> bool:
    """Whether another active record of the same category occurred after ``after``."""
    return any(rid != except_id and not r.withdrawn and r.category == category
               and r.occurred_on > after for rid, r in state.records.items())
