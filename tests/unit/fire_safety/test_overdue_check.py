"""The scheduled check raises late service, missed deadlines and missed re-inspections once."""

from __future__ import annotations

from datetime import date

from fire_safety.domain.overdue import CheckOverdue, decide_check
from fire_safety.domain.rectification import (
    OrderRectification,
    RecordReinspection,
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
    started,
)


def check(state, day: date):
    events = decide_check(state, CheckOverdue(day), CAL)
    for e in events:
        contracts.validate_data(ce_type("fire_safety", e.event_name), e.to_data())
    return events


def with_order(state, hazard: str = EXITS, workdays: int = 5):
    cmd = OrderRectification(hazard, workdays, MONDAY, "", MONDAY)
    return fold(state, decide_order(state, cmd, CAL, RULES))


def test_nothing_is_due_on_the_service_deadline_itself():
    assert check(major_and_general(), date(2026, 11, 26)) == []


def test_an_order_not_served_within_three_working_days_is_flagged_once():
    state = major_and_general()
    events = check(state, date(2026, 11, 27))
    assert names(events) == ["RectificationOrderServiceOverdue"] * 2
    assert {e.to_data()["hazard_id"] for e in events} == {EXITS, LIGHTS}
    assert check(fold(state, events), date(2026, 11, 30)) == []


def test_a_deadline_passed_without_verification_raises_rectification_overdue_once():
    state = with_order(with_order(major_and_general()), LIGHTS)
    assert check(state, date(2026, 11, 30)) == []  # the deadline day itself
    events = check(state, date(2026, 12, 1))
    assert names(events) == ["RectificationOverdue"] * 2
    overdue = next(e.to_data() for e in events if e.to_data()["hazard_id"] == EXITS)
    assert overdue["level"] == "major" and overdue["reason"] == "deadline_passed"
    assert overdue["deadline"] == "2026-11-30" and overdue["institution_uscc"]
    state = fold(state, events)
    assert state.hazards[EXITS].status == "overdue"
    assert check(state, date(2026, 12, 2)) == []


def test_a_missed_reinspection_is_flagged_after_three_working_days():
    state = with_order(with_order(major_and_general()), LIGHTS)
    state = fold(state, check(state, date(2026, 12, 1)))
    assert check(state, date(2026, 12, 3)) == []
    events = check(state, date(2026, 12, 4))
    assert names(events) == ["ReinspectionOverdue"] * 2
    assert check(fold(state, events), date(2026, 12, 7)) == []


def test_an_overdue_hazard_verified_later_is_marked_late_and_raises_nothing_more():
    state = with_order(with_order(major_and_general()), LIGHTS)
    state = fold(state, check(state, date(2026, 12, 1)))
    day = date(2026, 12, 2)
    cmd = RecordReinspection(EXITS, "fixed", ("fr-001", "fr-002"), "已整改", day, day)
    events = decide_reinspection(state, cmd, CAL, RULES)
    assert events[-1].event_name == "RectificationVerified" and events[-1].to_data()["late"] is True
    state = fold(state, events)
    assert [e.to_data()["hazard_id"] for e in check(state, date(2026, 12, 10))] == [LIGHTS]


def test_open_inspections_are_not_checked():
    assert check(started(), date(2027, 1, 1)) == []
