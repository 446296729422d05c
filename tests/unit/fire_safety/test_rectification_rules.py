"""Rectification: service within 3 working days, deadline, one extension, re-inspection."""

from __future__ import annotations

from datetime import date

import pytest
from fire_safety.domain.errors import Conflict, InvalidCommand, NotFound
from fire_safety.domain.rectification import (
    ExtendRectification,
    OrderRectification,
    RecordReinspection,
    decide_extend,
    decide_order,
    decide_reinspection,
)

from shared import contracts
from shared.envelope import ce_type
from tests.unit.fire_safety.builders import (
    CAL,
    EXITS,
    LIGHTS,
    MONDAY,
    RULES,
    fold,
    major_and_general,
    names,
)

THURSDAY, FRIDAY = date(2026, 11, 26), date(2026, 11, 27)


def ordered(served_on: date = MONDAY, workdays: int = 5):
    state = major_and_general()
    cmd = OrderRectification(EXITS, workdays, served_on, "拆除防盗网", served_on)
    return fold(state, decide_order(state, cmd, CAL, RULES))


def valid(events) -> None:
    for e in events:
        contracts.validate_data(ce_type("fire_safety", e.event_name), e.to_data())


def test_an_order_served_in_time_sets_deadline_and_reinspection_in_working_days():
    state = major_and_general()
    events = decide_order(state, OrderRectification(EXITS, 5, MONDAY, "", MONDAY), CAL, RULES)
    valid(events)
    data = events[0].to_data()
    assert data["served_late"] is False and data["level"] == "major"
    assert data["deadline"] == "2026-11-30"  # 5 working days after Monday 23rd
    assert data["reinspection_due"] == "2026-12-03"  # 3 working days after the deadline
    assert data["institution_uscc"] == state.institution_uscc


def test_an_order_served_after_three_working_days_is_flagged_late():
    state = major_and_general()
    late_day = date(2026, 11, 30)  # Monday after: 4 working days after the inspection
    data = decide_order(state, OrderRectification(EXITS, 5, late_day, "", late_day), CAL,
                        RULES)[0].to_data()
    assert data["served_late"] is True and data["late_by_workdays"] == 2
    on_time = decide_order(state, OrderRectification(EXITS, 5, THURSDAY, "", THURSDAY), CAL,
                           RULES)[0].to_data()
    assert on_time["served_late"] is False


@pytest.mark.parametrize(("workdays", "served_on", "field"), [
    (0, MONDAY, "deadline_workdays"), (91, MONDAY, "deadline_workdays"),
    (5, date(2026, 11, 20), "served_on"), (5, date(2026, 11, 24), "served_on"),
])
def test_bad_order_values_are_refused(workdays, served_on, field):
    with pytest.raises(InvalidCommand) as exc:
        decide_order(major_and_general(), OrderRectification(EXITS, workdays, served_on, "",
                                                             MONDAY), CAL, RULES)
    assert field in exc.value.errors


def test_a_second_different_order_for_one_hazard_is_a_conflict_the_same_one_is_nothing():
    state = ordered()
    same = OrderRectification(EXITS, 5, MONDAY, "", MONDAY)
    assert decide_order(state, same, CAL, RULES) == []
    with pytest.raises(Conflict):
        decide_order(state, OrderRectification(EXITS, 9, MONDAY, "", MONDAY), CAL, RULES)


def test_an_unknown_hazard_is_not_found():
    with pytest.raises(NotFound):
        decide_order(major_and_general(), OrderRectification("FI-1.nope", 5, MONDAY, "",
                                                             MONDAY), CAL, RULES)


def test_the_deadline_can_be_extended_once_with_a_reason():
    state = ordered()
    with pytest.raises(InvalidCommand) as exc:
        decide_extend(state, ExtendRectification(EXITS, 5, " ", MONDAY), CAL, RULES)
    assert "reason" in exc.value.errors
    events = decide_extend(state, ExtendRectification(EXITS, 5, "需采购设备", MONDAY), CAL, RULES)
    valid(events)
    assert events[0].to_data()["deadline"] == "2026-12-07"
    assert events[0].to_data()["reinspection_due"] == "2026-12-10"
    state = fold(state, events)
    with pytest.raises(Conflict):
        decide_extend(state, ExtendRectification(EXITS, 1, "再延", MONDAY), CAL, RULES)


def test_no_extension_after_the_deadline_has_passed():
    with pytest.raises(Conflict):
        decide_extend(ordered(), ExtendRectification(EXITS, 5, "晚了", date(2026, 12, 1)),
                      CAL, RULES)


def test_a_fixed_reinspection_verifies_the_rectification():
    cmd = RecordReinspection(EXITS, "fixed", ("fr-001", "fr-002"), "已拆除", FRIDAY, FRIDAY)
    events = decide_reinspection(ordered(), cmd, CAL, RULES)
    valid(events)
    assert names(events) == ["ReinspectionRecorded", "RectificationVerified"]
    assert events[1].to_data()["late"] is False
    state = fold(ordered(), events)
    assert state.hazards[EXITS].status == "verified"
    with pytest.raises(Conflict):
        decide_reinspection(state, cmd, CAL, RULES)


def test_not_fixed_at_a_reinspection_after_the_deadline_is_overdue():
    day = date(2026, 12, 1)
    cmd = RecordReinspection(EXITS, "not_fixed", ("fr-001", "fr-002"), "未整改", day, day)
    events = decide_reinspection(ordered(), cmd, CAL, RULES)
    valid(events)
    assert names(events) == ["ReinspectionRecorded", "RectificationOverdue"]
    assert events[1].to_data()["reason"] == "not_fixed_at_reinspection"
    assert events[1].to_data()["overdue_by_workdays"] == 1


def test_not_fixed_before_the_deadline_is_only_recorded():
    cmd = RecordReinspection(EXITS, "not_fixed", ("fr-001", "fr-002"), "", FRIDAY, FRIDAY)
    assert names(decide_reinspection(ordered(), cmd, CAL, RULES)) == ["ReinspectionRecorded"]


def test_a_reinspection_needs_two_inspectors_and_a_date_not_before_service():
    cmd = RecordReinspection(EXITS, "fixed", ("fr-001",), "", date(2026, 11, 20), FRIDAY)
    with pytest.raises(InvalidCommand) as exc:
        decide_reinspection(ordered(), cmd, CAL, RULES)
    assert {"inspectors", "reinspected_on"} <= set(exc.value.errors)


def test_reinspection_without_an_order_is_a_conflict():
    cmd = RecordReinspection(LIGHTS, "fixed", ("fr-001", "fr-002"), "", FRIDAY, FRIDAY)
    with pytest.raises(Conflict):
        decide_reinspection(major_and_general(), cmd, CAL, RULES)
