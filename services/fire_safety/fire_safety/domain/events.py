"""Fire safety's events, one frozen dataclass per type (contracts/events/fire_safety)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from fire_safety.domain.model import ChecklistItem, Inspector
from shared.domain import Event, EventCatalog, Record

# -- checklist-<template id> -------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistTemplatePublished(Event):
    template_id: str
    template_version: int
    title: str
    items: tuple[ChecklistItem, ...]
    published_on: date


# -- officials-register ------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialRegistered(Event):
    login: str
    department: str
    region: str
    duty: str
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class OfficialDeactivated(Event):
    login: str
    department: str
    reason: str


# -- fireinspection-<id>: the inspection -------------------------------------------------


@dataclass(frozen=True)
class FireInspectionStarted(Event):
    """``department`` is absent from inspections started before it was recorded."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"department"})

    inspection_id: str
    institution_uscc: str
    institution_name: str
    kind: str
    inspection_date: date
    inspectors: tuple[Inspector, ...]
    task_id: str | None
    template_id: str
    template_version: int
    items: tuple[ChecklistItem, ...]
    department: str | None = None


@dataclass(frozen=True)
class FireInspectionItemRecorded(Event):
    inspection_id: str
    institution_uscc: str
    item_code: str
    outcome: str
    evidence: str
    level: str | None
    determined_by: tuple[str, ...]


@dataclass(frozen=True)
class CollectiveDeterminationConfirmed(Event):
    """One named member's own confirmation (agree) or dissent on an item recorded as a major
    hazard; the member is the acting account. The inspection completes only when every
    member named for every major item has agreed."""

    inspection_id: str
    institution_uscc: str
    item_code: str
    member: str
    agree: bool
    confirmed_on: date


@dataclass(frozen=True)
class FireInspectionCompleted(Event):
    inspection_id: str
    institution_uscc: str
    institution_name: str
    kind: str
    inspection_date: date
    completed_on: date
    task_id: str | None
    inspectors: tuple[str, ...]
    template_id: str
    template_version: int
    counts: dict[str, int]  # outcome -> number of items ("pass" is no field name)
    hazard_ids: tuple[str, ...]
    service_due: date


@dataclass(frozen=True)
class FireInspectionCorrected(Event):
    inspection_id: str
    institution_uscc: str
    item_code: str | None
    note: str
    reason: str
    corrected_on: date


# -- fireinspection-<id>: its hazards ----------------------------------------------------


@dataclass(frozen=True)
class HazardFacts(Record):
    """What every hazard event carries first (what consumers join on)."""

    hazard_id: str
    inspection_id: str
    institution_uscc: str
    institution_name: str


@dataclass(frozen=True)
class OrderFacts(HazardFacts):
    """A hazard event about its rectification order."""

    order_no: str
    level: str


@dataclass(frozen=True)
class FireHazardIdentified(HazardFacts, Event):
    item_code: str
    item_title: str
    level: str
    identified_on: date
    evidence: str
    service_due: date


@dataclass(frozen=True)
class Determination(HazardFacts):
    """How a hazard's level was determined: collectively or by an expert panel."""

    method: str
    members: tuple[str, ...]
    agreeing: tuple[str, ...]
    determined_on: date


@dataclass(frozen=True)
class ExpertPanelConvened(HazardFacts, Event):
    """A leader convened an expert panel on a hard case; it decides once enough of its named
    members have agreed, each from their own account (ExpertPanelVoted)."""

    members: tuple[str, ...]
    result: str  # major | general: the conclusion put to the panel
    convened_on: date


@dataclass(frozen=True)
class ExpertPanelVoted(HazardFacts, Event):
    """One member's own confirmation (agree) or dissent; the member is the acting account."""

    member: str
    agree: bool
    voted_on: date


@dataclass(frozen=True)
class MajorHazardDetermined(Determination, Event):
    pass


@dataclass(frozen=True)
class HazardDeterminedGeneral(Determination, Event):
    pass


@dataclass(frozen=True)
class RectificationOrdered(OrderFacts, Event):
    inspection_date: date
    served_on: date
    service_due: date
    served_late: bool
    late_by_workdays: int
    deadline_workdays: int
    deadline: date
    reinspection_due: date
    deadline_provisional: bool
    measures: str


@dataclass(frozen=True)
class RectificationOrderServiceOverdue(HazardFacts, Event):
    level: str
    service_due: date
    detected_on: date


@dataclass(frozen=True)
class RectificationExtended(OrderFacts, Event):
    previous_deadline: date
    extra_workdays: int
    deadline: date
    reinspection_due: date
    reason: str
    extended_on: date


@dataclass(frozen=True)
class ReinspectionRecorded(OrderFacts, Event):
    reinspected_on: date
    outcome: str
    inspectors: tuple[str, ...]
    evidence: str
    within_window: bool


@dataclass(frozen=True)
class RectificationVerified(OrderFacts, Event):
    deadline: date
    verified_on: date
    late: bool


@dataclass(frozen=True)
class RectificationOverdue(OrderFacts, Event):
    deadline: date
    detected_on: date
    reason: str
    overdue_by_workdays: int


@dataclass(frozen=True)
class ReinspectionOverdue(OrderFacts, Event):
    reinspection_due: date
    detected_on: date


@dataclass(frozen=True)
class SealingProposed(HazardFacts, Event):
    """A leader put a collective sealing decision to its named members: ``purpose`` "order"
    (a collective sealing; scope and reason are the sealing's) or "confirm" (the collective
    confirmation of an emergency sealing). It takes effect when every member has agreed,
    each from their own account (SealingMemberConfirmed); a dissent ends the proposal."""

    purpose: str
    scope: str
    reason: str
    members: tuple[str, ...]
    proposed_on: date


@dataclass(frozen=True)
class SealingMemberConfirmed(HazardFacts, Event):
    """One member's own answer to the pending sealing proposal; the member is the acting
    account."""

    purpose: str
    member: str
    agree: bool
    confirmed_on: date


@dataclass(frozen=True)
class SealingOrdered(HazardFacts, Event):
    scope: str
    reason: str
    ordered_on: date
    decision: str
    decided_by: tuple[str, ...]
    confirm_by: date | None


@dataclass(frozen=True)
class SealingConfirmed(HazardFacts, Event):
    decided_by: tuple[str, ...]
    confirmed_on: date


@dataclass(frozen=True)
class SealingLifted(HazardFacts, Event):
    reason: str
    lifted_on: date


@dataclass(frozen=True)
class SealingConfirmationOverdue(HazardFacts, Event):
    confirm_by: date
    detected_on: date


InspectionEvent = (FireInspectionStarted | FireInspectionItemRecorded
                   | CollectiveDeterminationConfirmed | FireInspectionCompleted
                   | FireInspectionCorrected | FireHazardIdentified | MajorHazardDetermined
                   | HazardDeterminedGeneral | RectificationOrdered
                   | RectificationOrderServiceOverdue | RectificationExtended
                   | ReinspectionRecorded | RectificationVerified | RectificationOverdue
                   | ReinspectionOverdue | SealingProposed | SealingMemberConfirmed
                   | SealingOrdered | SealingConfirmed | SealingLifted
                   | SealingConfirmationOverdue)

OfficialEvent = OfficialRegistered | OfficialDeactivated

CHECKLIST_EVENTS = EventCatalog(ChecklistTemplatePublished)
OFFICIAL_EVENTS = EventCatalog(OfficialRegistered, OfficialDeactivated)
INSPECTION_EVENTS = EventCatalog(
    FireInspectionStarted, FireInspectionItemRecorded, CollectiveDeterminationConfirmed,
    FireInspectionCompleted, FireInspectionCorrected, FireHazardIdentified,
    ExpertPanelConvened, ExpertPanelVoted, MajorHazardDetermined, HazardDeterminedGeneral,
    RectificationOrdered, RectificationOrderServiceOverdue, RectificationExtended,
    ReinspectionRecorded, RectificationVerified, RectificationOverdue, ReinspectionOverdue,
    SealingProposed, SealingMemberConfirmed, SealingOrdered, SealingConfirmed, SealingLifted,
    SealingConfirmationOverdue)
EVENTS = EventCatalog(*CHECKLIST_EVENTS, *OFFICIAL_EVENTS, *INSPECTION_EVENTS)
