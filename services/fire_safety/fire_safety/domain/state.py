"""The Inspection aggregate's state (stream fireinspection-<id>) and how events change it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from fire_safety.domain.events import (
    CollectiveDeterminationConfirmed,
    ExpertPanelConvened,
    ExpertPanelVoted,
    FireHazardIdentified,
    FireInspectionCompleted,
    FireInspectionCorrected,
    FireInspectionItemRecorded,
    FireInspectionStarted,
    HazardDeterminedGeneral,
    HazardFacts,
    MajorHazardDetermined,
    OrderFacts,
    RectificationExtended,
    RectificationOrdered,
    RectificationOrderServiceOverdue,
    RectificationOverdue,
    RectificationVerified,
    ReinspectionOverdue,
    ReinspectionRecorded,
    SealingConfirmationOverdue,
    SealingConfirmed,
    SealingLifted,
    SealingMemberConfirmed,
    SealingOrdered,
    SealingProposed,
)
from fire_safety.domain.model import INSPECTOR_DEPARTMENTS, ChecklistItem, Inspector
from shared.domain import Event


@dataclass(frozen=True)
class ItemResult:
    """The recorded outcome of one checklist item."""

    outcome: str
    evidence: str
    level: str | None
    determined_by: tuple[str, ...]
    confirmations: tuple[tuple[str, bool], ...] = ()  # (member, agrees), in the order given

    def waiting_for(self) -> tuple[str, ...]:
        """Named members of a collective determination who have not answered yet."""
        answered = {m for m, _ in self.confirmations}
        return tuple(m for m in self.determined_by if m not in answered)

    def dissenting(self) -> tuple[str, ...]:
        return tuple(m for m, yes in self.confirmations if not yes)


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
class SealingProposal:
    """A collective sealing decision put to its named members (SealingProposed)."""

    purpose: str  # order | confirm
    scope: str
    reason: str
    members: tuple[str, ...]
    confirmed: tuple[str, ...] = ()

    def waiting_for(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m not in self.confirmed)


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
    panel_members: tuple[str, ...] = ()  # an expert panel convened on it
    panel_result: str = ""
    votes: tuple[tuple[str, bool], ...] = ()  # (member, agrees), in the order given
    panel_concluded: bool = False
    proposal: SealingProposal | None = None  # a collective sealing decision awaiting members

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


def evolve(state: Inspection, event: Event) -> Inspection:
    """Apply one stored event; types this aggregate does not fold leave the state as it is."""
    match event:
        case FireInspectionStarted():
            return replace(
                state, inspection_id=event.inspection_id,
                institution_uscc=event.institution_uscc,
                institution_name=event.institution_name, kind=event.kind,
                inspection_date=event.inspection_date, inspectors=event.inspectors,
                task_id=event.task_id, template_id=event.template_id,
                department=event.department or "", template_version=event.template_version,
                items=event.items)
        case FireInspectionItemRecorded():
            result = ItemResult(event.outcome, event.evidence, event.level, event.determined_by)
            return replace(state, results={**state.results, event.item_code: result})
        case CollectiveDeterminationConfirmed():
            found = state.results[event.item_code]
            answered = replace(found, confirmations=(*found.confirmations,
                                                     (event.member, event.agree)))
            return replace(state, results={**state.results, event.item_code: answered})
        case FireInspectionCompleted():
            return replace(state, completed_on=event.completed_on)
        case FireInspectionCorrected():
            return replace(state, corrections=state.corrections + 1)
        case FireHazardIdentified():
            return _put(state, Hazard(event.hazard_id, event.item_code, event.item_title,
                                      event.level, event.identified_on, event.service_due))
        case HazardFacts():
            return _put(state, _hazard_changed(state.hazards[event.hazard_id], event))
    return state


def _put(state: Inspection, hazard: Hazard) -> Inspection:
    return replace(state, hazards={**state.hazards, hazard.hazard_id: hazard})


def _hazard_changed(h: Hazard, event: HazardFacts) -> Hazard:
    match event:
        case ExpertPanelConvened():
            return replace(h, panel_members=event.members, panel_result=event.result, votes=(),
                           panel_concluded=False)
        case ExpertPanelVoted():
            return replace(h, votes=(*h.votes, (event.member, event.agree)))
        case MajorHazardDetermined():
            return replace(h, level="major",
                           panel_concluded=h.panel_concluded or event.method == "expert_panel")
        case HazardDeterminedGeneral():
            return replace(h, level="general",
                           panel_concluded=h.panel_concluded or event.method == "expert_panel")
        case RectificationOrdered():
            return replace(h, order=Order(
                event.order_no, event.served_on, event.deadline_workdays, event.deadline,
                event.reinspection_due, event.served_late))
        case RectificationOrderServiceOverdue():
            return replace(h, service_overdue_on=event.detected_on)
        case SealingProposed():
            return replace(h, proposal=SealingProposal(event.purpose, event.scope, event.reason,
                                                       event.members))
        case SealingMemberConfirmed():
            if h.proposal is None:
                return h
            if not event.agree:  # a dissent ends the proposal
                return replace(h, proposal=None)
            return replace(h, proposal=replace(h.proposal,
                                               confirmed=(*h.proposal.confirmed, event.member)))
        case SealingOrdered():
            h = replace(h, proposal=None)
            sealed = "sealed" if event.decision == "collective" else "sealed_unconfirmed"
            return replace(h, sealing=sealed, sealing_overdue_on=None,
                           sealing_confirm_by=event.confirm_by)
        case SealingConfirmed():
            return replace(h, sealing="sealed", proposal=None)
        case SealingLifted():
            return replace(h, sealing="lifted", proposal=None)
        case SealingConfirmationOverdue():
            return replace(h, sealing_overdue_on=event.detected_on)
        case OrderFacts():
            assert h.order is not None, "order event before RectificationOrdered"
            return replace(h, order=_order_changed(h.order, event))
    return h


def _order_changed(o: Order, event: OrderFacts) -> Order:
    match event:
        case RectificationExtended():
            return replace(o, extended=True, deadline=event.deadline,
                           reinspection_due=event.reinspection_due)
        case ReinspectionRecorded():
            return replace(o, last_reinspected_on=event.reinspected_on)
        case RectificationVerified():
            return replace(o, verified_on=event.verified_on)
        case RectificationOverdue():
            return replace(o, overdue_on=event.detected_on)
        case ReinspectionOverdue():
            return replace(o, reinspection_overdue_on=event.detected_on)
    return o
