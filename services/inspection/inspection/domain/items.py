"""The inspection-item list of one department (stream items-<department>, 抽查事项清单)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from inspection.domain.model import DomainEvent

FIELDS = ("department", "item_id", "name", "legal_basis", "method")


@dataclass(frozen=True)
class Item:
    """One item: what is checked, on which legal basis, by whom and how."""

    department: str
    item_id: str
    name: str
    legal_basis: str
    method: str

    @property
    def ref(self) -> str:
        return f"{self.department}/{self.item_id}"


ItemList = dict[str, tuple[Item, int]]  # item id -> (item, revision)


def initial() -> ItemList:
    return {}


def evolve(state: ItemList, name: str, data: dict[str, Any]) -> ItemList:
    if name == "InspectionItemPublished":
        item = Item(**{k: data[k] for k in FIELDS})
        return {**state, item.item_id: (item, int(data["revision"]))}
    return state


def decide_publish_item(state: ItemList, item: Item) -> list[DomainEvent]:
    """Publish a new item or a new revision; the same text again stores nothing."""
    old = state.get(item.item_id)
    if old is not None and old[0] == item:
        return []
    revision = old[1] + 1 if old else 1
    return [DomainEvent("InspectionItemPublished", {**asdict(item), "revision": revision})]
