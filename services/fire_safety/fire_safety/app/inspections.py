"""Use cases: start an inspection (optionally with items and completion), record, complete,
correct."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from fire_safety.app.checklists import template_for
from fire_safety.app.common import (
    INSPECTIONS,
    Decide,
    Handled,
    chain,
    district_of,
    inspection_scope,
    inspection_stream,
    officials_directory,
    run,
)
from fire_safety.domain.errors import NotFound
from fire_safety.domain.inspection import (
    CompleteInspection,
    ConfirmDetermination,
    CorrectInspection,
    RecordItem,
    StartInspection,
    decide_complete,
    decide_confirm_determination,
    decide_correct,
    decide_record,
    decide_start,
)
from fire_safety.domain.officials import Directory
from fire_safety.domain.ports import WorkCalendar
from fire_safety.domain.rules import Rules
from fire_safety.domain.state import Inspection
from shared.authority import BUSINESS_DUTIES, INSPECTOR, LEADER, Authority, Scope, check
from shared.clock import Clock, china_today
from shared.commands import load_state
from shared.eventstore import CommitMeta, EventStore

# On-site work (start, record, complete) is the inspectors'; a correction of a completed
# record may also come from the leader who answers for it.
FIELD_WORK = (INSPECTOR,)
CORRECTION = (INSPECTOR, LEADER)


@dataclass(frozen=True)
class Deps:
    """What the inspection handlers need."""

    store: EventStore
    clock: Clock
    calendar: WorkCalendar
    rules: Rules


@dataclass(frozen=True)
class NewInspection:
    """The start command's fields before the template is resolved."""

    start: StartInspection
    template_id: str
    template_version: int | None


def start_inspection(new: NewInspection, items: Sequence[RecordItem], complete: bool, *,
                     deps: Deps, meta: CommitMeta) -> Handled[Inspection]:
    """Start, record the given items and complete, all in one commit."""
    template = template_for(new.template_id, new.template_version, store=deps.store,
                            clock=deps.clock, meta=meta)
    start = replace(new.start, template=template, today=china_today(deps.clock),
                    actor_dept=meta.actor_dept)
    directory = _directory(items, deps)
    steps: list[Decide] = [lambda s: decide_start(s, start, deps.rules)]
    steps += [_record_step(item, deps.rules, directory, meta) for item in items]
    if complete:
        steps.append(_complete_step(start.inspection_id, deps, meta))
    # which department may run which kind of inspection is the domain's rule (422, field by
    # field); the scope adds the district and the duty
    return run(deps.store, start.inspection_id, chain(*steps), meta,
               scope=lambda s: inspection_scope(s, FIELD_WORK, uscc=start.institution_uscc))


def _directory(items: Sequence[RecordItem], deps: Deps) -> Directory:
    """The officials register, read only when some item names determination members."""
    return officials_directory(deps.store) if any(i.determined_by for i in items) else {}


def _record_step(item: RecordItem, rules: Rules, directory: Directory,
                 meta: CommitMeta) -> Decide:
    cmd = replace(item, actor_dept=meta.actor_dept)
    return lambda s: decide_record(s, cmd, rules, directory)


def _complete_step(inspection_id: str, deps: Deps, meta: CommitMeta) -> Decide:
    cmd = CompleteInspection(inspection_id, china_today(deps.clock), meta.actor_dept)
    return lambda s: decide_complete(s, cmd, deps.calendar, deps.rules)


def record_items(inspection_id: str, items: Sequence[RecordItem], complete: bool, *,
                 deps: Deps, meta: CommitMeta,
                 expected_version: int | None = None) -> Handled[Inspection]:
    """Record outcomes on an open inspection, and optionally complete it, in one commit."""
    directory = _directory(items, deps)
    steps = [_record_step(item, deps.rules, directory, meta) for item in items]
    if complete:
        steps.append(_complete_step(inspection_id, deps, meta))
    return run(deps.store, inspection_id, chain(*steps), meta, expected_version,
               scope=lambda s: inspection_scope(s, FIELD_WORK))


def confirm_determination(inspection_id: str, item_code: str, agree: bool, *, deps: Deps,
                          meta: CommitMeta) -> Handled[Inspection]:
    """A named member's own answer on a major item's collective determination: the member is
    the signed-in account (meta.actor), of the department that records the inspection."""
    cmd = ConfirmDetermination(inspection_id, item_code, meta.actor, agree,
                               china_today(deps.clock))
    return run(deps.store, inspection_id, lambda s: decide_confirm_determination(s, cmd), meta,
               scope=lambda s: inspection_scope(s, BUSINESS_DUTIES))


def correct_inspection(inspection_id: str, item_code: str | None, note: str, reason: str, *,
                       deps: Deps, meta: CommitMeta) -> Handled[Inspection]:
    """Add a correction note to a completed inspection."""
    cmd = CorrectInspection(inspection_id, item_code, note, reason, china_today(deps.clock),
                            meta.actor_dept)
    return run(deps.store, inspection_id, lambda s: decide_correct(s, cmd), meta,
               scope=lambda s: inspection_scope(s, CORRECTION))


def get_inspection(inspection_id: str, *, store: EventStore,
                   reader: Authority | None = None) -> tuple[Inspection, int]:
    """The folded state and its version; NotFound when nothing was ever stored; Forbidden
    when ``reader`` (a regulator) has no region covering the institution's district."""
    found, version, _ = load_state(store, INSPECTIONS, inspection_stream(inspection_id))
    if version == 0:
        raise NotFound(f"检查 {inspection_id} 不存在")
    if reader is not None and found.institution_uscc:
        check(reader, Scope(district=district_of(found.institution_uscc)))
    return found, version
