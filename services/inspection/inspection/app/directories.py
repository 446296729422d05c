"""Use cases of the directories: inspectors per department and the inspection-item list."""

from __future__ import annotations

from typing import Any

from inspection.app.common import ITEMS, ROSTER, Handled, current, items_stream, roster_stream, run
from inspection.domain.items import Item, ItemList, decide_publish_item
from inspection.domain.model import DEPARTMENTS
from inspection.domain.roster import Inspector, Roster, decide_change, decide_register
from inspection.domain.snapshot import RosterEntry
from shared.eventstore import CommitMeta, EventStore


def register_inspector(inspector: Inspector, *, store: EventStore,
                       meta: CommitMeta) -> Handled[Roster]:
    """Add an inspector to their department's roster."""
    return run(store, ROSTER, roster_stream(inspector.department),
               lambda s: decide_register(s, inspector), meta)


def change_inspector(department: str, inspector_id: str, changes: dict[str, Any], *,
                     store: EventStore, meta: CommitMeta) -> Handled[Roster]:
    """Change status, region, certificate or declared conflicts."""
    return run(store, ROSTER, roster_stream(department),
               lambda s: decide_change(s, inspector_id, changes), meta)


def roster_of(department: str, store: EventStore) -> Roster:
    return current(store, ROSTER, roster_stream(department))[0]


def roster_entries(departments: list[str], store: EventStore) -> list[RosterEntry]:
    """The draw's view of the inspectors of these departments."""
    return [RosterEntry(i.key, i.department, i.active, i.conflicts)
            for d in departments for i in roster_of(d, store).values()]


def publish_item(item: Item, *, store: EventStore, meta: CommitMeta) -> Handled[ItemList]:
    """Publish an item of the department's list (or a new revision of it)."""
    return run(store, ITEMS, items_stream(item.department),
               lambda s: decide_publish_item(s, item), meta)


def all_items(store: EventStore) -> list[tuple[Item, int]]:
    """Every department's published items with their revision."""
    out = []
    for dept in DEPARTMENTS:
        out.extend(current(store, ITEMS, items_stream(dept))[0].values())
    return sorted(out, key=lambda pair: pair[0].ref)
