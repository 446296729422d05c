"""Tasks: assigned → inspected → recorded → published; 20 working days to publish."""

from __future__ import annotations

from datetime import date

import pytest
from inspection.domain import task as tasks
from inspection.domain.errors import Conflict, InvalidCommand
from inspection.domain.events import InspectionTaskAssigned
from inspection.domain.rules import Rules

from shared.workdays import WorkCalendar

ITEMS = ["civil_affairs/X1", "fire_rescue/X1"]
CAL = WorkCalendar()
RESULT = {"item_outcomes": [{"item": ITEMS[0], "outcome": "compliant"},
                            {"item": ITEMS[1], "outcome": "problem_found"}],
          "findings": "消防通道堵塞", "follow_up": "rectification_ordered"}


def _fold(events) -> tasks.Task:
    state = tasks.initial()
    for e in events:
        state = tasks.evolve(state, e)
    return state


def _inspected() -> tasks.Task:
    assigned = tasks.decide_assign(tasks.initial(), InspectionTaskAssigned.from_data({
        "task_id": "t1", "plan_id": "p", "uscc": "U", "credit_level": "B",
        "departments": ["civil_affairs", "fire_rescue"], "inspectors": ["a/1", "b/1"],
        "items": ITEMS, "assigned_on": "2026-09-01"}))
    state = _fold(assigned)
    return _fold([*assigned, *tasks.decide_inspected(state, "t1", date(2026, 9, 20),
                                                     date(2026, 9, 21))])


def _recorded(on: date, rules: Rules = Rules()) -> tasks.Task:
    state = _inspected()
    events = tasks.decide_record(state, "t1", RESULT, on, CAL, rules)
    for e in events:
        state = tasks.evolve(state, e)
    return state


INSPECTED_ON = date(2026, 9, 20)


@pytest.mark.parametrize("recorded_on", [date(2026, 9, 21), date(2026, 9, 25),
                                         date(2026, 10, 20), date(2026, 11, 23)])
def test_publication_deadline_runs_from_inspected_on_not_from_recording(recorded_on):
    # whatever day the result is typed in, the 20 working days count from the inspection
    # (National Day holiday included: Monday to Friday alone would differ)
    state = _recorded(recorded_on)
    assert state.result is not None
    assert str(state.result.publish_deadline) == "2026-10-23"
    assert state.result.publish_deadline == CAL.add_workdays(INSPECTED_ON, 20)
    assert state.result.problem_found is True


def test_deadline_length_is_configurable():
    state = _recorded(date(2026, 11, 23), Rules(publication_workdays=5))
    assert state.result is not None
    assert state.result.publish_deadline == CAL.add_workdays(INSPECTED_ON, 5)


def test_overdue_is_raised_once_after_the_deadline_and_not_on_it():
    state = _recorded(date(2026, 10, 20))
    assert state.result is not None
    deadline = state.result.publish_deadline  # 2026-10-23, a Friday
    assert tasks.decide_overdue(state, deadline, CAL, Rules()) == []
    events = tasks.decide_overdue(state, date(2026, 10, 27), CAL, Rules())
    assert [e.event_name for e in events] == ["PublicationOverdue"]
    assert events[0].to_data()["overdue_workdays"] == 2
    assert events[0].to_data()["inspected_on"] == INSPECTED_ON.isoformat()
    assert tasks.decide_overdue(_fold_onto(state, events), date(2026, 12, 30), CAL,
                                Rules()) == []


def test_an_inspection_with_no_result_typed_in_is_overdue_from_its_inspected_on():
    state = _inspected()
    deadline = CAL.add_workdays(INSPECTED_ON, 20)
    assert tasks.decide_overdue(state, deadline, CAL, Rules()) == []  # on the 20th working day
    events = tasks.decide_overdue(state, CAL.add_workdays(INSPECTED_ON, 21), CAL, Rules())
    assert [e.event_name for e in events] == ["PublicationOverdue"]  # one past it
    assert events[0].to_data()["recorded_on"] is None


def test_a_result_typed_in_late_was_already_late():
    # recorded after the deadline: it is overdue at once, and publishing says "not on time"
    state = _recorded(date(2026, 11, 23))
    overdue = tasks.decide_overdue(state, date(2026, 11, 23), CAL, Rules())
    assert [e.event_name for e in overdue] == ["PublicationOverdue"]
    published = tasks.decide_publish(state, "t1", date(2026, 11, 23))
    assert published[0].to_data()["on_time"] is False


def test_inspected_on_cannot_precede_the_draw_nor_be_in_the_future():
    assigned = _fold(tasks.decide_assign(tasks.initial(), InspectionTaskAssigned.from_data({
        "task_id": "t1", "plan_id": "p", "uscc": "U", "credit_level": "B",
        "departments": ["civil_affairs"], "inspectors": ["a/1", "a/2"], "items": ITEMS,
        "assigned_on": "2026-09-01"})))
    with pytest.raises(InvalidCommand):
        tasks.decide_inspected(assigned, "t1", date(2026, 8, 31), date(2026, 9, 21))
    assert tasks.decide_inspected(assigned, "t1", date(2026, 9, 1), date(2026, 9, 21))
    with pytest.raises(InvalidCommand):
        tasks.decide_inspected(assigned, "t1", date(2026, 9, 22), date(2026, 9, 21))


def _fold_onto(state, events):
    for e in events:
        state = tasks.evolve(state, e)
    return state


def test_a_published_result_is_never_overdue_and_says_whether_it_was_on_time():
    state = _recorded(date(2026, 11, 23))
    published = tasks.decide_publish(state, "t1", date(2026, 12, 22))
    assert published[0].to_data()["on_time"] is False
    state = _fold_onto(state, published)
    assert tasks.decide_overdue(state, date(2027, 1, 30), CAL, Rules()) == []


def test_results_need_the_visit_first_and_one_outcome_per_item():
    assigned = _fold(tasks.decide_assign(tasks.initial(), InspectionTaskAssigned.from_data({
        "task_id": "t1", "plan_id": "p", "uscc": "U", "credit_level": "B",
        "departments": ["civil_affairs"], "inspectors": ["a/1", "a/2"], "items": ITEMS,
        "assigned_on": "2026-09-01"})))
    with pytest.raises(Conflict):
        tasks.decide_record(assigned, "t1", RESULT, date(2026, 9, 2), CAL, Rules())
    partial = {**RESULT, "item_outcomes": RESULT["item_outcomes"][:1]}
    with pytest.raises(InvalidCommand) as exc:
        tasks.decide_record(_inspected(), "t1", partial, date(2026, 9, 22), CAL, Rules())
    assert "item_outcomes" in exc.value.errors


def test_follow_up_without_a_problem_is_refused():
    clean = {"item_outcomes": [{"item": i, "outcome": "compliant"} for i in ITEMS],
             "findings": "", "follow_up": "referred_for_penalty"}
    with pytest.raises(InvalidCommand) as exc:
        tasks.decide_record(_inspected(), "t1", clean, date(2026, 9, 22), CAL, Rules())
    assert "follow_up" in exc.value.errors
