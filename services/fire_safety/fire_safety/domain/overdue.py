"""The scheduled check: late service, missed deadlines and missed re-inspections, once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fire_safety.domain.events import (
    InspectionEvent,
    RectificationOrderServiceOverdue,
    ReinspectionOverdue,
    SealingConfirmationOverdue,
)
from fire_safety.domain.hazards import hazard_base
from fire_safety.domain.ports import WorkCalendar
from fire_safety.domain.rectification import _order_base, _overdue
from fire_safety.domain.state import Hazard, Inspection


@dataclass(frozen=True)
class CheckOverdue:
    today: date


def _service(state: Inspection, hazard: Hazard, today: date) -> list[InspectionEvent]:
    if hazard.order or hazard.service_overdue_on or today <= hazard.service_due:
        return []
    return [RectificationOrderServiceOverdue(
        **hazard_base(state, hazard), level=hazard.level, service_due=hazard.service_due,
        detected_on=today)]


def _deadline(state: Inspection, hazard: Hazard, today: date,
              calendar: WorkCalendar) -> list[InspectionEvent]:
    order = hazard.order
    if order is None or order.verified_on or order.overdue_on or today <= order.deadline:
        return []
    return [_overdue(_order_base(state, hazard), order, today, "deadline_passed", calendar)]


def _reinspection(state: Inspection, hazard: Hazard, today: date) -> list[InspectionEvent]:
    order = hazard.order
    if order is None or order.verified_on or order.reinspection_overdue_on:
        return []
    done = order.last_reinspected_on is not None and order.last_reinspected_on >= order.deadline
    if done or today <= order.reinspection_due:
        return []
    return [ReinspectionOverdue(
        **_order_base(state, hazard), reinspection_due=order.reinspection_due,
        detected_on=today)]


def _sealing_confirmation(state: Inspection, hazard: Hazard, today: date) -> list[InspectionEvent]:
    """An emergency sealing must be confirmed collectively within 24 h (消防监督检查规定)."""
    due = hazard.sealing_confirm_by
    if hazard.sealing != "sealed_unconfirmed" or due is None or hazard.sealing_overdue_on:
        return []
    if today <= due:
        return []
    return [SealingConfirmationOverdue(**hazard_base(state, hazard), confirm_by=due,
                                       detected_on=today)]


def decide_check(state: Inspection, cmd: CheckOverdue,
                 calendar: WorkCalendar) -> list[InspectionEvent]:
    """Every hazard of a completed inspection, each missed date raised once."""
    if state.completed_on is None:
        return []
    events: list[InspectionEvent] = []
    for hazard in state.hazards.values():
        events += _service(state, hazard, cmd.today)
        events += _deadline(state, hazard, cmd.today, calendar)
        events += _reinspection(state, hazard, cmd.today)
        events += _sealing_confirmation(state, hazard, cmd.today)
    return events
