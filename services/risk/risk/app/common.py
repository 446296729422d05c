"""Aggregate wiring and the use cases of the risk service."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from risk.domain import risk as agg
from risk.domain.events import EVENTS
from risk.domain.risk import Risk
from risk.domain.rules import CLASS_NAMES, LEVEL_NAMES, Rules
from risk.domain.signals import CLOSED, signals_of
from shared import commands
from shared.authority import Authority, Scope, check
from shared.clock import CHINA_TZ, Clock, china_today
from shared.commands import Aggregate, Handled, load_state
from shared.domain import NotFound, uscc_district
from shared.envelope import Envelope
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore

SERVICE = "risk"
RISK: Aggregate[Risk] = Aggregate(agg.initial, agg.evolve, EVENTS)
PREFIX = "risk-"
log = logging.getLogger("risk")


def stream(uscc: str) -> str:
    return f"{PREFIX}{uscc}"


@dataclass(frozen=True)
class Deps:
    store: EventStore
    clock: Clock
    rules: Rules


def _run(d: Deps, uscc: str, decide: Any, meta: CommitMeta) -> Handled[Risk]:
    # the service acts on its own behalf; concurrent consumers of other topics may overtake
    return commands.run(d.store, RISK, stream(uscc), decide, meta, SERVICE, retries=5)


def on_event(d: Deps, env: Envelope, meta: CommitMeta,
             known: set[str] | None = None) -> list[Handled[Risk]]:
    """What one platform event does to the institutions it names (usually one).

    ``known``: the risk streams that exist (a consumer's batch reads them at once); an event
    that only closes signals of an institution without a stream changes nothing (nothing of
    it is open) and is not even loaded. Streams this call writes are added to it."""
    today = china_today(d.clock)
    stored_on = env.time.astimezone(CHINA_TZ).date()
    if env.service == "inspection" and env.name == "TargetedInspectionResultPublished":
        data = env.data
        return [_run(d, data["uscc"], lambda s: agg.decide_inspected(
            s, data["alert_id"], data["inspection_id"], bool(data["problem_found"]),
            date.fromisoformat(data["published_on"]), d.rules, today), meta)]
    signals = signals_of(env.service, env.name, env.data, stored_on)
    out = []
    for uscc in sorted({s.uscc for s in signals}):
        if known is not None and stream(uscc) not in known and all(
                s.change == CLOSED for s in signals if s.uscc == uscc):
            continue
        handled = _run(d, uscc, lambda s, u=uscc: agg.decide_record(
            s, u, env.id, env.service, signals, d.rules, today), meta)
        if known is not None and handled.events:
            known.add(stream(uscc))
        out.append(handled)
    return out


def on_batch(d: Deps, envs: Sequence[Envelope], meta_of: Callable[[], CommitMeta]
             ) -> None:
    """``on_event`` for a consumer's batch, in order, with one read of which institutions
    have a risk stream."""
    names = {stream(s.uscc) for env in envs
             for s in signals_of(env.service, env.name, env.data,
                                 env.time.astimezone(CHINA_TZ).date())}
    known = d.store.existing(sorted(names))
    for env in envs:
        on_event(d, env, meta_of(), known)


@dataclass(frozen=True)
class Report:
    as_of: date
    checked: int
    changed: list[str]


def reassess_all(d: Deps, meta: CommitMeta) -> Report:
    """Windows pass: re-assess every institution with a signal (the scheduler's turn)."""
    today = china_today(d.clock)
    names = d.store.streams_with("RiskSignalRecorded")
    changed = []
    for name in names:
        uscc = name.removeprefix(PREFIX)
        try:
            handled = _run(d, uscc, lambda s: agg.assess(s, d.rules, today), meta)
        except ConcurrencyConflict:
            log.info("re-assessment skipped %s: changed meanwhile", uscc)
            continue
        if handled.events:
            changed.append(uscc)
    return Report(today, len(names), changed)


def view(d: Deps, uscc: str, reader: Authority) -> dict[str, Any]:
    """An institution's risk for a regulator whose regions cover it."""
    check(reader, Scope(district=uscc_district(uscc)))
    state, version, _ = load_state(d.store, RISK, stream(uscc))
    if version == 0:
        raise NotFound(f"没有统一社会信用代码为 {uscc} 的机构的风险记录")
    today = china_today(d.clock)
    reasons = agg.fired(state, d.rules, today)
    alert = state.alert
    return {"uscc": uscc, "version": version, "risk_class": state.risk_class,
            "risk_class_label": CLASS_NAMES[state.risk_class],
            "score": sum(r.weight for r in reasons),
            "reasons": [r.to_data() for r in reasons],
            "alert": None if alert is None else {
                "alert_id": alert.alert_id, "level": alert.level,
                "level_label": LEVEL_NAMES[alert.level], "raised_on": alert.raised_on,
                "awaiting_inspection": alert.awaiting_inspection,
                "reasons": [r.to_data() for r in alert.reasons]},
            "alerts": list(state.history)}
