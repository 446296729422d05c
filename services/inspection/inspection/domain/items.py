"""The inspection-item list of one department (stream items-<department>, 抽查事项清单)."""

from __future__ import annotations

from dataclasses import dataclass

from inspection.domain.events import InspectionItemPublished
from shared.domain import Event


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


def evolve(state: ItemList, event: Event) -> ItemList:
    if isinstance(event, InspectionItemPublished):
        item = Item(event.department, event.item_id, event.name, event.legal_basis,
                    event.method)
        return {**state, item.item_id: (item, event.revision)}
    return state


def decide_publish_item(state: ItemList, item: Item) -> list[InspectionItemPublished]:
    """Publish a new item or a new revision; the same text again stores nothing."""
    old = state.get(item.item_id)
    if old is not None and old[0] == item:
        return []
    revision = old[1] + 1 if old else 1
    return [InspectionItemPublished(item.department, item.item_id, item.name, item.legal_basis,
                                    item.method, revision)]
