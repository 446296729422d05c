"""Rectification orders: service within 3 working days, deadlines, extension, re-inspection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fire_safety.domain.errors import Conflict, require
from fire_safety.domain.events import (
    InspectionEvent,
    RectificationExtended,
    RectificationOrdered,
    RectificationOverdue,
    RectificationVerified,
    ReinspectionRecorded,
)
from fire_safety.domain.hazards import find_hazard, hazard_base
from fire_safety.domain.model import distinct
from fire_safety.domain.ports import WorkCalendar
from fire_safety.domain.rules import Rules
from fire_safety.domain.state import Hazard, Inspection, Order


@dataclass(frozen=True)
class OrderRectification:
    """Serve a 责令限期改正通知书 with a deadline in working days after service."""

    hazard_id: str
    deadline_workdays: int
    served_on: date
    measures: str
    today: date


@dataclass(frozen=True)
class ExtendRectification:
    hazard_id: str
    extra_workdays: int
    reason: str
    today: date


@dataclass(frozen=True)
class RecordReinspection:
    """A re-inspection (复查): fixed or not fixed."""

    hazard_id: str
    outcome: str
    inspectors: tuple[str, ...]
    evidence: str
    reinspected_on: date
    today: date


def order_no(hazard_id: str) -> str:
    """Derived from the hazard: one order per hazard."""
    return f"责改-{hazard_id}"


def _order_base(state: Inspection, hazard: Hazard) -> dict[str, Any]:
    assert hazard.order is not None
    return {**hazard_base(state, hazard), "order_no": hazard.order.order_no,
            "level": hazard.level}


def _provisional(calendar: WorkCalendar, *days: date) -> bool:
    years = range(min(days).year, max(days).year + 1)
    return any(calendar.is_provisional(y) for y in years)


def decide_order(state: Inspection, cmd: OrderRectification, calendar: WorkCalendar,
                 rules: Rules) -> list[InspectionEvent]:
    """One order per determined hazard; service after the 3-working-day window is flagged."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level == "pending_expert_review":
        raise Conflict("隐患等级待专家组判定，判定后再下达整改通知")
    if hazard.order is not None:
        if (hazard.order.served_on, hazard.order.deadline_workdays) == (
                cmd.served_on, cmd.deadline_workdays):
            return []
        raise Conflict("该隐患已下达整改通知；延长期限请使用延期")
    assert state.inspection_date is not None
    require({
        "deadline_workdays": [] if 1 <= cmd.deadline_workdays <= rules.max_deadline_workdays
        else [f"须为 1–{rules.max_deadline_workdays} 个工作日"],
        "served_on": ["送达日期不能早于检查日期"] if cmd.served_on < state.inspection_date
        else ["送达日期不能晚于今天"] if cmd.served_on > cmd.today else []})
    deadline = calendar.add_workdays(cmd.served_on, cmd.deadline_workdays)
    late = cmd.served_on > hazard.service_due
    return [RectificationOrdered(
        **hazard_base(state, hazard), order_no=order_no(hazard.hazard_id), level=hazard.level,
        inspection_date=state.inspection_date, served_on=cmd.served_on,
        service_due=hazard.service_due, served_late=late,
        late_by_workdays=calendar.workdays_between(hazard.service_due, cmd.served_on)
        if late else 0,
        deadline_workdays=cmd.deadline_workdays, deadline=deadline,
        reinspection_due=calendar.add_workdays(deadline, rules.reinspection_workdays),
        deadline_provisional=_provisional(calendar, cmd.served_on, deadline),
        measures=cmd.measures.strip())]


def live_order(hazard: Hazard) -> Order:
    """The order while it can still change, else Conflict."""
    if hazard.order is None:
        raise Conflict("该隐患尚未下达整改通知")
    if hazard.order.verified_on is not None:
        raise Conflict("该隐患已复查确认整改完毕")
    return hazard.order


def decide_extend(state: Inspection, cmd: ExtendRectification, calendar: WorkCalendar,
                  rules: Rules) -> list[InspectionEvent]:
    """Once, with a reason, before the deadline has passed."""
    hazard = find_hazard(state, cmd.hazard_id)
    order = live_order(hazard)
    if order.extended:
        raise Conflict("整改期限只能延长一次")
    if order.overdue_on is not None or cmd.today > order.deadline:
        raise Conflict("整改期限已届满，不能延期")
    require({"reason": [] if cmd.reason.strip() else ["延期须说明理由"],
             "extra_workdays": [] if 1 <= cmd.extra_workdays <= rules.max_deadline_workdays
             else [f"须为 1–{rules.max_deadline_workdays} 个工作日"]})
    deadline = calendar.add_workdays(order.deadline, cmd.extra_workdays)
    return [RectificationExtended(
        **_order_base(state, hazard), previous_deadline=order.deadline,
        extra_workdays=cmd.extra_workdays, deadline=deadline,
        reinspection_due=calendar.add_workdays(deadline, rules.reinspection_workdays),
        reason=cmd.reason.strip(), extended_on=cmd.today)]


def decide_reinspection(state: Inspection, cmd: RecordReinspection, calendar: WorkCalendar,
                        rules: Rules) -> list[InspectionEvent]:
    """Fixed: verified. Not fixed on or after the deadline: overdue (once)."""
    hazard = find_hazard(state, cmd.hazard_id)
    order = live_order(hazard)
    people = distinct(list(cmd.inspectors))
    require({
        "inspectors": [f"复查人员不得少于 {rules.min_inspectors} 名"]
        if len(people) < rules.min_inspectors else [],
        "reinspected_on": ["复查日期不能早于送达日期"] if cmd.reinspected_on < order.served_on
        else ["复查日期不能晚于今天"] if cmd.reinspected_on > cmd.today else [],
        "outcome": [] if cmd.outcome in ("fixed", "not_fixed") else ["须为 fixed 或 not_fixed"]})
    base, day = _order_base(state, hazard), cmd.reinspected_on
    events: list[InspectionEvent] = [ReinspectionRecorded(
        **base, reinspected_on=day, outcome=cmd.outcome, inspectors=tuple(people),
        evidence=cmd.evidence.strip(), within_window=day <= order.reinspection_due)]
    if cmd.outcome == "fixed":
        events.append(RectificationVerified(
            **base, deadline=order.deadline, verified_on=day,
            late=order.overdue_on is not None or day > order.deadline))
    elif day >= order.deadline and order.overdue_on is None:
        events.append(_overdue(base, order, day, "not_fixed_at_reinspection", calendar))
    return events


def _overdue(base: dict[str, Any], order: Order, today: date, reason: str,
             calendar: WorkCalendar) -> RectificationOverdue:
    return RectificationOverdue(
        **base, deadline=order.deadline, detected_on=today, reason=reason,
        overdue_by_workdays=calendar.workdays_between(order.deadline, today))
