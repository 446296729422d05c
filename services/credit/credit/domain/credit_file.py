"""An institution's credit file (信用档案): records from every source and the A/B/C/D level."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from credit.domain.events import (
    CreditFilingNoted,
    CreditLevelChanged,
    CreditRecordAdded,
    CreditRecordWithdrawn,
    FileEvent,
)
from credit.domain.level import Assessment, Record, assess
from credit.domain.level import fade as fade  # re-exported
from credit.domain.rules import LevelRules
from shared.domain import Event


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
class NoteFiling:
    """The registry filed the institution (备案) on ``filed_on`` (from InstitutionFiled)."""

    uscc: str
    filed_on: date
    source_event_id: str


@dataclass(frozen=True)
class CreditFile:
    """State of stream credit-<USCC>."""

    uscc: str = ""
    records: dict[str, Record] = field(default_factory=dict)
    source_events: frozenset[str] = frozenset()
    level: str | None = None
    level_as_of: date | None = None
    filed_on: date | None = None


def active(records: dict[str, Record]) -> list[Record]:
    return [r for r in records.values() if not r.withdrawn]


def assess_file(state: CreditFile, today: date, rules: LevelRules,
                records: dict[str, Record] | None = None) -> Assessment:
    """The file's level today by the one rule (credit/domain/level.py)."""
    return assess(state.records if records is None else records, today, rules, state.filed_on)


def points_for(category: str, rules: LevelRules) -> int:
    """Weight of the category, else of its family ("penalty.x" → "penalty"), else the default."""
    family = category.split(".", 1)[0]
    return rules.weights.get(category, rules.weights.get(family, rules.default_weight))


def _level_event(state: CreditFile, records: dict[str, Record], today: date, rules: LevelRules,
                 reason: str) -> list[FileEvent]:
    a = assess_file(state, today, rules, records)
    if a.level == state.level:
        return []
    return [CreditLevelChanged(
        institution_uscc=state.uscc, level=a.level, previous_level=state.level, score=a.score,
        as_of=today, reason=reason, records_counted=len(active(records)),
        determined_by=a.determined_by,
        neutral_until=a.neutral_until if a.neutral_applies else None)]


def decide_add(state: CreditFile, cmd: AddRecord, today: date,
               rules: LevelRules) -> list[FileEvent]:
    """Add once per source event and record id; the level follows when it changes."""
    if cmd.source_event_id in state.source_events or cmd.record_id in state.records:
        return []
    points = points_for(cmd.category, rules)
    added = CreditRecordAdded(
        uscc=cmd.uscc, record_id=cmd.record_id, source=cmd.source,
        source_event_id=cmd.source_event_id, source_type=cmd.source_type,
        category=cmd.category, points=points, occurred_on=cmd.occurred_on, summary=cmd.summary)
    records = {**state.records, cmd.record_id: Record(cmd.category, points, cmd.occurred_on)}
    return [added, *_level_event(replace(state, uscc=cmd.uscc), records, today, rules,
                                 "record_added")]


def decide_withdraw(state: CreditFile, record_id: str, reason: str, today: date,
                    rules: LevelRules) -> list[FileEvent]:
    """Withdraw a record (its source decision was revoked, the listing ended...); once."""
    record = state.records.get(record_id)
    if record is None or record.withdrawn:
        return []
    withdrawn = CreditRecordWithdrawn(uscc=state.uscc, record_id=record_id, reason=reason,
                                      withdrawn_on=today)
    records = {**state.records, record_id: replace(record, withdrawn=True)}
    return [withdrawn, *_level_event(state, records, today, rules, "record_withdrawn")]


def decide_note_filing(state: CreditFile, cmd: NoteFiling, today: date,
                       rules: LevelRules) -> list[FileEvent]:
    """A filed institution has a level from its filing on; the first filing date counts (a
    re-filing after cancellation does not start a new neutral period); once per event."""
    if state.filed_on is not None or cmd.source_event_id in state.source_events:
        return []
    noted = CreditFilingNoted(uscc=cmd.uscc, filed_on=cmd.filed_on,
                              source_event_id=cmd.source_event_id)
    after = replace(state, uscc=cmd.uscc, filed_on=cmd.filed_on)
    return [noted, *_level_event(after, state.records, today, rules, "institution_filed")]


def decide_reassess(state: CreditFile, today: date, rules: LevelRules) -> list[FileEvent]:
    """Time passes: records fade and neutral periods end; the scheduler publishes a change."""
    if not state.uscc:
        return []
    until = assess_file(state, today, rules).neutral_until
    ended = (until is not None and until <= today
             and (state.level_as_of is None or state.level_as_of < until))
    return _level_event(state, state.records, today, rules,
                        "neutral_period_ended" if ended else "decay")


def initial() -> CreditFile:
    return CreditFile()


def evolve(state: CreditFile, event: Event) -> CreditFile:
    """Apply one stored event; other types leave the state as it is."""
    match event:
        case CreditRecordAdded():
            record = Record(event.category, event.points, event.occurred_on)
            return replace(state, uscc=event.uscc,
                           records={**state.records, event.record_id: record},
                           source_events=state.source_events | {event.source_event_id})
        case CreditRecordWithdrawn():
            withdrawn = replace(state.records[event.record_id], withdrawn=True)
            return replace(state, records={**state.records, event.record_id: withdrawn})
        case CreditFilingNoted():
            return replace(state, uscc=event.uscc, filed_on=event.filed_on,
                           source_events=state.source_events | {event.source_event_id})
        case CreditLevelChanged():
            return replace(state, level=event.level, level_as_of=event.as_of)
    return state


def repeated(state: CreditFile, category: str, after: date, except_id: str) -> bool:
    """Whether another active record of the same category occurred after ``after``."""
    return any(rid != except_id and not r.withdrawn and r.category == category
               and r.occurred_on > after for rid, r in state.records.items())
