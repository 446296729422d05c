"""The plan's end date: a drawn task with neither a result nor a cancellation recorded on or
before it is flagged InspectionTaskOverdue once, on any day after it; cancellation before a
result only; plans without their own end date end with their year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection.domain import plan as plans
from inspection.domain import task as tasks
from inspection.domain.errors import Conflict, InvalidCommand
from inspection.domain.events import EVENTS, InspectionTaskAssigned
from inspection.domain.rules import Rules

from shared.workdays import WorkCalendar
from tests.unit.inspection.test_task_deadlines import ITEMS, RESULT, _fold_onto
from tests.unit.inspection.test_task_deadlines import _inspected as inspected_task

CAL = WorkCalendar()
ASSIGNED_ON = date(2026, 9, 1)
ENDS_ON = date(2026, 11, 30)


def _assigned() -> tasks.Task:
    return _fold_onto(tasks.initial(), tasks.decide_assign(
        tasks.initial(), InspectionTaskAssigned.from_data({
        "task_id": "t1", "plan_id": "p", "uscc": "U", "credit_level": "B",
        "departments": ["civil_affairs", "fire_rescue"], "inspectors": ["a/1", "b/1"],
        "items": ITEMS,
        "assigned_on": ASSIGNED_ON.isoformat()})))


def _day(offset: int) -> date:
    return ASSIGNED_ON + timedelta(days=offset)


@settings(max_examples=300, deadline=None)
@given(inspect=st.one_of(st.none(), st.integers(0, 150)),
       record_after=st.one_of(st.none(), st.integers(0, 60)),
       cancel=st.one_of(st.none(), st.integers(0, 150)),
       checks=st.lists(st.integers(0, 200), min_size=1, max_size=4))
def test_overdue_at_plan_end_iff_nothing_was_settled_by_then_and_only_once(
        inspect, record_after, cancel, checks):
    """Events happen in date order; checks run on the given days. InspectionTaskOverdue is
    raised by the first check after the end date exactly when neither a result nor a
    cancellation was recorded on or before it, and never again."""
    state = _assigned()
    timeline: list[tuple[date, str]] = [(_day(c), "check") for c in checks]
    if inspect is not None:
        timeline.append((_day(inspect), "inspect"))
        if record_after is not None:
            timeline.append((_day(inspect + record_after), "record"))
    if cancel is not None:
        timeline.append((_day(cancel), "cancel"))
    order = {"inspect": 0, "record": 1, "cancel": 2, "check": 3}
    raised: list[date] = []
    settled_by_end = False
    for on, what in sorted(timeline, key=lambda x: (x[0], order[x[1]])):
        if what == "inspect":
            if state.cancelled is None:
                state = _fold_onto(state, tasks.decide_inspected(state, "t1", on, on))
        elif what == "record":
            if state.cancelled is None and state.inspected_on is not None:
                state = _fold_onto(state, tasks.decide_record(state, "t1", RESULT, on, CAL,
                                                              Rules()))
                settled_by_end |= on <= ENDS_ON
        elif what == "cancel":
            if state.result is None:
                if state.cancelled is None:
                    settled_by_end |= on <= ENDS_ON
                state = _fold_onto(state, tasks.decide_cancel(state, "t1", "停业", "civil_affairs",
                                                              on))
        else:
            events = tasks.decide_unfinished(state, ENDS_ON, on, CAL)
            assert all(e.event_name == "InspectionTaskOverdue" for e in events)
            if events:
                assert on > ENDS_ON
                assert events[0].to_data()["plan_ends_on"] == ENDS_ON.isoformat()
                assert events[0].to_data()["overdue_workdays"] == CAL.workdays_between(ENDS_ON, on)
                raised.append(on)
            state = _fold_onto(state, events)
    due = [on for on in sorted(_day(c) for c in checks) if on > ENDS_ON]
    if settled_by_end or not due:
        assert raised == []
    else:
        assert raised == [due[0]]


def test_on_the_end_date_nothing_and_one_day_past_it_the_task_is_overdue():
    state = _assigned()
    assert tasks.decide_unfinished(state, ENDS_ON, ENDS_ON, CAL) == []
    events = tasks.decide_unfinished(state, ENDS_ON, ENDS_ON + timedelta(days=1), CAL)
    assert [e.event_name for e in events] == ["InspectionTaskOverdue"]
    assert events[0].inspected_on is None and events[0].recorded_on is None


def test_a_result_recorded_on_the_end_date_is_on_time_and_one_day_later_is_not():
    on_time = inspected_task()  # inspected 2026-09-20
    on_time = _fold_onto(on_time, tasks.decide_record(on_time, "t1", RESULT, ENDS_ON, CAL,
                                                      Rules()))
    assert tasks.decide_unfinished(on_time, ENDS_ON, date(2027, 1, 5), CAL) == []
    late = inspected_task()
    late = _fold_onto(late, tasks.decide_record(late, "t1", RESULT, ENDS_ON + timedelta(days=1),
                                                CAL, Rules()))
    events = tasks.decide_unfinished(late, ENDS_ON, date(2027, 1, 5), CAL)
    assert events and events[0].to_data()["recorded_on"] == "2026-12-01"


def test_cancellation_only_before_a_result_and_once():
    state = _assigned()
    first = tasks.decide_cancel(state, "t1", "机构已停业", "fire_rescue", date(2026, 10, 1))
    assert [e.event_name for e in first] == ["InspectionTaskCancelled"]
    assert first[0].to_data()["department"] == "fire_rescue"
    cancelled = _fold_onto(state, first)
    assert cancelled.status == "cancelled"
    assert tasks.decide_cancel(cancelled, "t1", "再次", "civil_affairs", date(2026, 10, 2)) == []
    with pytest.raises(Conflict):
        tasks.decide_inspected(cancelled, "t1", date(2026, 10, 2), date(2026, 10, 2))
    recorded = inspected_task()
    recorded = _fold_onto(recorded, tasks.decide_record(recorded, "t1", RESULT,
                                                        date(2026, 9, 21), CAL, Rules()))
    with pytest.raises(Conflict):
        tasks.decide_cancel(recorded, "t1", "晚了", "civil_affairs", date(2026, 9, 22))


def _spec(**over) -> dict:
    return {"series": "joint", "year": 2026, "batch": 1, "title": "t",
            "departments": ["civil_affairs"], "districts": [], "operator_types": [],
            "items": ["civil_affairs/X1"], "ratios_bp": {"A": 1, "B": 1, "C": 1, "D": 1},
            "team_size": 2, "exclude_previous_batches": True, "ends_on": "2026-12-31", **over}


def test_a_plan_cannot_end_before_the_day_it_is_made_but_may_end_that_day():
    today = date(2026, 11, 23)
    with pytest.raises(InvalidCommand) as exc:
        plans.decide_create(plans.initial(), "p", _spec(ends_on="2026-11-22"), today)
    assert "ends_on" in exc.value.errors
    assert plans.decide_create(plans.initial(), "p", _spec(ends_on="2026-11-23"), today)


def test_a_plan_stored_before_plans_had_an_end_date_ends_with_its_year():
    spec = _spec()
    del spec["ends_on"]
    state = plans.evolve(plans.initial(), EVENTS.decode(
        "SamplingPlanCreated", 1, {"plan_id": "p", **spec, "created_on": "2026-11-20"}))
    assert state.spec is not None and state.spec["ends_on"] == "2026-12-31"
    # creating it again without an end date is the same plan (idempotent), not a conflict
    assert plans.decide_create(state, "p", _spec(), date(2026, 11, 23)) == []
