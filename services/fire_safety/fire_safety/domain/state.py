"""The Inspection aggregate's state (stream fireinspection-<id>) and how events change it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from fire_safety.domain.model import (
    INSPECTOR_DEPARTMENTS,
    ChecklistItem,
    Inspector,
    parse_date,
)


@dataclass(frozen=True)
class ItemResult:
    """The recorded outcome of one checklist item."""

    outcome: str
    evidence: str
    level: str | None
    determined_by: tuple[str, ...]


@dataclass(frozen=True)
class Order:
    """A rectification order (责令限期改正通知书) and what happened to it."""

    order_no: str
    served_on: date
    deadline_workdays: int
    deadline: date
    reinspection_due: date
    served_late: bool
    extended: bool = False
    overdue_on: date | None = None
    verified_on: date | None = None
    last_reinspected_on: date | None = None
    reinspection_overdue_on: date | None = None


@dataclass(frozen=True)
class Hazard:
    """A failed item that must be rectified."""

    hazard_id: str
    item_code: str
    item_title: str
    level: str
    identified_on: date
    service_due: date
    order: Order | None = None
    service_overdue_on: date | None = None
    sealing: str | None = None  # sealed | sealed_unconfirmed | lifted
    sealing_confirm_by: date | None = None  # an emergency sealing's collective confirmation
    sealing_overdue_on: date | None = None

    @property
    def status(self) -> str:
        """open, ordered, overdue or verified."""
        if self.order is None:
            return "open"
        if self.order.verified_on:
            return "verified"
        return "overdue" if self.order.overdue_on else "ordered"


@dataclass(frozen=True)
class Inspection:
    """One inspection of one institution, its items and the hazards it found."""

    inspection_id: str = ""
    institution_uscc: str = ""
    institution_name: str = ""
    kind: str = ""
    inspection_date: date | None = None
    inspectors: tuple[Inspector, ...] = ()
    task_id: str | None = None
    template_id: str = ""
    template_version: int = 0
    items: tuple[ChecklistItem, ...] = ()
    results: dict[str, ItemResult] = field(default_factory=dict)
    completed_on: date | None = None
    hazards: dict[str, Hazard] = field(default_factory=dict)
    corrections: int = 0
    department: str = ""  # the department that opened it and alone records its findings

    @property
    def exists(self) -> bool:
        return bool(self.inspection_id)

    @property
    def recording_departments(self) -> tuple[str, ...]:
        """Who may record findings: the opening department. Inspections started before the
        department was stored fall back to the departments the kind allows (as then)."""
        return (self.department,) if self.department else INSPECTOR_DEPARTMENTS.get(self.kind, ())

    def item(self, code: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.code == code), None)


def initial() -> Inspection:
    return Inspection()


def evolve(state: Inspection, name: str, data: dict[str, Any]) -> Inspection:
    """Apply one stored event; names this version does not know leave the state as it is."""
    apply = _APPLY.get(name)
    return apply(state, data) if apply else state


def _started(state: Inspection, d: dict[str, Any]) -> Inspection:
    return replace(
        state, inspection_id=d["inspection_id"], institution_uscc=d["institution_uscc"],
        institution_name=d["institution_name"], kind=d["kind"],
        inspection_date=date.fromisoformat(d["inspection_date"]),
        inspectors=tuple(Inspector(i["user_id"], i["department"]) for i in d["inspectors"]),
        task_id=d["task_id"], template_id=d["template_id"], department=d.get("department", ""),
        template_version=d["template_version"],
        items=tuple(ChecklistItem.from_data(i) for i in d["items"]))


def _item(state: Inspection, d: dict[str, Any]) -> Inspection:
    result = ItemResult(d["outcome"], d["evidence"], d["level"], tuple(d["determined_by"]))
    return replace(state, results={**state.results, d["item_code"]: result})


def _completed(state: Inspection, d: dict[str, Any]) -> Inspection:
    return replace(state, completed_on=date.fromisoformat(d["completed_on"]))


def _corrected(state: Inspection, d: dict[str, Any]) -> Inspection:
    return replace(state, corrections=state.corrections + 1)


def _identified(state: Inspection, d: dict[str, Any]) -> Inspection:
    h = Hazard(d["hazard_id"], d["item_code"], d["item_title"], d["level"],
               date.fromisoformat(d["identified_on"]), date.fromisoformat(d["service_due"]))
    return _put(state, h)


def _put(state: Inspection, hazard: Hazard) -> Inspection:
    return replace(state, hazards={**state.hazards, hazard.hazard_id: hazard})


def _on_hazard(fn: Callable[[Hazard, dict[str, Any]], Hazard]
               ) -> Callable[[Inspection, dict[str, Any]], Inspection]:
    """Lift a change of one hazard to a change of the inspection."""

    def apply(state: Inspection, d: dict[str, Any]) -> Inspection:
        return _put(state, fn(state.hazards[d["hazard_id"]], d))

    return apply


def _on_order(fn: Callable[[Order, dict[str, Any]], Order]
              ) -> Callable[[Inspection, dict[str, Any]], Inspection]:
    """Lift a change of one hazard's order to a change of the inspection."""

    def apply(hazard: Hazard, d: dict[str, Any]) -> Hazard:
        assert hazard.order is not None, "order event before RectificationOrdered"
        return replace(hazard, order=fn(hazard.order, d))

    return _on_hazard(apply)


def _ordered(h: Hazard, d: dict[str, Any]) -> Hazard:
    order = Order(d["order_no"], date.fromisoformat(d["served_on"]), d["deadline_workdays"],
                  date.fromisoformat(d["deadline"]), date.fromisoformat(d["reinspection_due"]),
                  d["served_late"])
    return replace(h, order=order)


def _extended(o: Order, d: dict[str, Any]) -> Order:
    return replace(o, extended=True, deadline=date.fromisoformat(d["deadline"]),
                   reinspection_due=date.fromisoformat(d["reinspection_due"]))


def _reinspected(o: Order, d: dict[str, Any]) -> Order:
    return replace(o, last_reinspected_on=date.fromisoformat(d["reinspected_on"]))


def _sealing(status: str) -> Callable[[Hazard, dict[str, Any]], Hazard]:
    def apply(h: Hazard, d: dict[str, Any]) -> Hazard:
        if status == "ordered":
            return replace(h, sealing="sealed" if d["decision"] == "collective"
                           else "sealed_unconfirmed", sealing_overdue_on=None,
                           sealing_confirm_by=parse_date(d.get("confirm_by")))
        return replace(h, sealing=status)

    return apply


_APPLY: dict[str, Callable[[Inspection, dict[str, Any]], Inspection]] = {
    "FireInspectionStarted": _started,
    "FireInspectionItemRecorded": _item,
    "FireInspectionCompleted": _completed,
    "FireInspectionCorrected": _corrected,
    "FireHazardIdentified": _identified,
    "MajorHazardDetermined": _on_hazard(lambda h, d: replace(h, level="major")),
    "HazardDeterminedGeneral": _on_hazard(lambda h, d: replace(h, level="general")),
    "RectificationOrdered": _on_hazard(_ordered),
    "RectificationOrderServiceOverdue": _on_hazard(
        lambda h, d: replace(h, service_overdue_on=parse_date(d["detected_on"]))),
    "RectificationExtended": _on_order(_extended),
    "ReinspectionRecorded": _on_order(_reinspected),
    "RectificationVerified": _on_order(
        lambda o, d: replace(o, verified_on=parse_date(d["verified_on"]))),
    "RectificationOverdue": _on_order(
        lambda o, d: replace(o, overdue_on=parse_date(d["detected_on"]))),
    "ReinspectionOverdue": _on_order(
        lambda o, d: replace(o, reinspection_overdue_on=parse_date(d["detected_on"]))),
    "SealingOrdered": _on_hazard(_sealing("ordered")),
    "SealingConfirmed": _on_hazard(_sealing("sealed")),
    "SealingLifted": _on_hazard(_sealing("lifted")),
    "SealingConfirmationOverdue": _on_hazard(
        lambda h, d: replace(h, sealing_overdue_on=parse_date(d["detected_on"]))),
}
