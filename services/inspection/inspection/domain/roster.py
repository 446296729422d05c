"""The inspector roster of one department (stream roster-<department>)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from inspection.domain.errors import Conflict, NotFound
from inspection.domain.events import InspectorChanged, InspectorRegistered, RosterEvent
from inspection.domain.model import inspector_key
from shared.domain import Event

MUTABLE = ("region", "certificate_no", "active", "conflicts")


@dataclass(frozen=True)
class Inspector:
    """An enforcement officer: staff code, region, certificate, status, declared conflicts."""

    department: str
    inspector_id: str
    region: str
    certificate_no: str
    active: bool = True
    conflicts: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return inspector_key(self.department, self.inspector_id)

    def to_data(self) -> dict[str, Any]:
        return {**asdict(self), "conflicts": sorted(set(self.conflicts))}


Roster = dict[str, Inspector]


def initial() -> Roster:
    return {}


def evolve(state: Roster, event: Event) -> Roster:
    if isinstance(event, InspectorRegistered | InspectorChanged):
        return {**state, event.inspector_id: Inspector(
            event.department, event.inspector_id, event.region, event.certificate_no,
            event.active, tuple(sorted(set(event.conflicts))))}
    return state


def decide_register(state: Roster, inspector: Inspector) -> list[RosterEvent]:
    """Register once; the same details again store nothing."""
    old = state.get(inspector.inspector_id)
    if old is not None:
        if old == inspector:
            return []
        raise Conflict(f"检查人员 {inspector.inspector_id} 已登记且信息不同（请用 PATCH 修改）")
    i = inspector
    return [InspectorRegistered(i.department, i.inspector_id, i.region, i.certificate_no,
                                i.active, tuple(sorted(set(i.conflicts))))]


def decide_change(state: Roster, inspector_id: str, changes: dict[str, Any]) -> list[RosterEvent]:
    """Change region, certificate, status or conflicts; no difference stores nothing."""
    old = state.get(inspector_id)
    if old is None:
        raise NotFound(f"没有编号为 {inspector_id} 的检查人员")
    if "conflicts" in changes:
        changes = {**changes, "conflicts": tuple(sorted(set(changes["conflicts"])))}
    new = replace(old, **{k: v for k, v in changes.items() if k in MUTABLE})
    changed = [k for k in MUTABLE if getattr(old, k) != getattr(new, k)]
    if not changed:
        return []
    return [InspectorChanged(new.department, new.inspector_id, new.region, new.certificate_no,
                             new.active, tuple(sorted(set(new.conflicts))), tuple(changed))]
