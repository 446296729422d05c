"""Use cases of targeted inspections: open one from a risk alert (the consumer), record and
publish its result (the departments the alert named, in the institution's district)."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspection.app.common import Handled, current, district_of, run
from inspection.domain import targeted as tg
from inspection.domain.errors import NotFound
from inspection.domain.events import TARGETED_EVENTS, TargetedInspectionOpened
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules
from inspection.domain.targeted import Targeted
from shared.authority import Authority, Scope, check
from shared.clock import Clock, china_today
from shared.commands import Aggregate
from shared.eventstore import CommitMeta, EventStore

TARGETED: Aggregate[Targeted] = Aggregate(tg.initial, tg.evolve, TARGETED_EVENTS)


def targeted_stream(inspection_id: str) -> str:
    return f"targeted-{inspection_id}"


def open_from_alert(data: dict[str, Any], *, store: EventStore, clock: Clock,
                    calendar: WorkCalendar, rules: Rules,
                    meta: CommitMeta) -> Handled[Targeted] | None:
    """A RiskAlertRaised or RiskAlertEscalated (its data): orange or red opens one targeted
    inspection for the alert's departments; anything else, or a repeat, opens nothing."""
    if data.get("level") not in tg.OPENING_LEVELS:
        return None
    today = china_today(clock)
    inspection_id = tg.inspection_id_for(str(data["alert_id"]))
    opened = TargetedInspectionOpened(
        inspection_id, str(data["alert_id"]), str(data["uscc"]), str(data["level"]),
        tuple(str(r["label"]) for r in data.get("reasons", [])),
        tuple(data.get("departments", [])), today,
        calendar.add_workdays(today, rules.targeted_workdays))
    return run(store, TARGETED, targeted_stream(inspection_id),
               lambda s: tg.decide_open(s, opened), meta)


def _scope(duties: tuple[str, ...]) -> Any:
    def scope(s: Targeted) -> Scope:
        if s.opened is None:
            return Scope()
        return Scope(departments=s.opened.departments, district=district_of(s.opened.uscc),
                     duties=duties)
    return scope


def record_result(inspection_id: str, cmd: tg.RecordResult, duties: tuple[str, ...], *,
                  store: EventStore, meta: CommitMeta) -> Handled[Targeted]:
    return run(store, TARGETED, targeted_stream(inspection_id),
               lambda s: tg.decide_record(s, cmd), meta, scope=_scope(duties))


def publish(inspection_id: str, duties: tuple[str, ...], *, store: EventStore, clock: Clock,
            meta: CommitMeta) -> Handled[Targeted]:
    today = china_today(clock)
    return run(store, TARGETED, targeted_stream(inspection_id),
               lambda s: tg.decide_publish(s, today), meta, scope=_scope(duties))


def get(inspection_id: str, store: EventStore, reader: Authority) -> tuple[Targeted, int]:
    state, version = current(store, TARGETED, targeted_stream(inspection_id))
    if state.opened is None:
        raise NotFound(f"没有编号为 {inspection_id} 的重点检查")
    check(reader, Scope(district=district_of(state.opened.uscc)))
    return state, version


def today_of(clock: Clock) -> date:
    return china_today(clock)
