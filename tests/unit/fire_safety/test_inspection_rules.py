"""Inspections: team of >= 2, per-item outcomes with evidence, immutable after completion."""

from __future__ import annotations

import dataclasses

import pytest
from fire_safety.domain import state as st
from fire_safety.domain.errors import Conflict, InvalidCommand, NotFound
from fire_safety.domain.inspection import (
    CorrectInspection,
    decide_complete,
    decide_correct,
    decide_record,
    decide_start,
)
from fire_safety.domain.model import Inspector

from shared import contracts
from shared.envelope import ce_type
from tests.unit.fire_safety.builders import (
    BOARD,
    CAL,
    MONDAY,
    OFFICIALS,
    RULES,
    all_agreed,
    all_recorded,
    complete_cmd,
    completed_with,
    fold,
    item,
    major_and_general,
    names,
    start_cmd,
    started,
)

FR = "fire_rescue"


def test_an_inspection_by_two_fire_inspectors_starts():
    events = decide_start(st.initial(), start_cmd(), RULES)
    assert names(events) == ["FireInspectionStarted"]
    contracts.validate_data(ce_type("fire_safety", events[0].event_name), events[0].to_data())


@pytest.mark.parametrize("team", [
    (Inspector("fr-001", "fire_rescue"),),
    (Inspector("fr-001", "fire_rescue"), Inspector("fr-001", "fire_rescue")),
])
def test_fewer_than_two_distinct_inspectors_is_refused(team):
    with pytest.raises(InvalidCommand) as exc:
        decide_start(st.initial(), start_cmd(inspectors=team), RULES)
    assert "inspectors" in exc.value.errors


def test_civil_affairs_inspectors_only_take_part_in_joint_daily_checks():
    team = (Inspector("fr-001", "fire_rescue"), Inspector("ca-001", "civil_affairs"))
    with pytest.raises(InvalidCommand):
        decide_start(st.initial(), start_cmd(inspectors=team), RULES)
    joint = start_cmd(inspectors=team, kind="joint_daily", actor_dept="civil_affairs")
    assert names(decide_start(st.initial(), joint, RULES)) == ["FireInspectionStarted"]


def test_civil_affairs_cannot_record_a_fire_supervision_inspection():
    with pytest.raises(InvalidCommand) as exc:
        decide_start(st.initial(), start_cmd(actor_dept="civil_affairs"), RULES)
    assert "kind" in exc.value.errors


def test_a_linked_random_inspection_task_is_kept():
    events = decide_start(st.initial(), start_cmd(task_id="TASK-2026-07"), RULES)
    assert events[0].to_data()["task_id"] == "TASK-2026-07"


def test_an_inspection_dated_in_the_future_is_refused():
    with pytest.raises(InvalidCommand) as exc:
        decide_start(st.initial(), start_cmd(inspection_date=MONDAY.replace(day=24)), RULES)
    assert "inspection_date" in exc.value.errors


def test_the_same_inspection_id_cannot_start_twice():
    with pytest.raises(Conflict):
        decide_start(started(), start_cmd(), RULES)


def test_a_failed_item_needs_evidence_and_a_level():
    with pytest.raises(InvalidCommand) as exc:
        decide_record(started(), item("exits_routes", "fail", evidence=""), RULES, OFFICIALS)
    assert {"evidence", "level"} <= set(exc.value.errors)


def test_a_major_hazard_needs_a_collective_determination_by_three_people():
    two = item("exits_routes", "fail", level="major", determined_by=("a", "b", "a"))
    with pytest.raises(InvalidCommand) as exc:
        decide_record(started(), two, RULES, OFFICIALS)
    assert "determined_by" in exc.value.errors
    three = item("exits_routes", "fail", level="major", determined_by=BOARD)
    assert names(decide_record(started(), three, RULES, OFFICIALS)) == [
        "FireInspectionItemRecorded"]


def test_a_passed_item_has_no_hazard_level():
    with pytest.raises(InvalidCommand) as exc:
        decide_record(started(), item("exits_routes", "pass", level="general"), RULES, OFFICIALS)
    assert "level" in exc.value.errors


def test_an_unknown_item_code_is_refused():
    with pytest.raises(InvalidCommand) as exc:
        decide_record(started(), item("no_such_item"), RULES, OFFICIALS)
    assert "item_code" in exc.value.errors


def test_recording_the_same_outcome_again_stores_nothing():
    state = started()
    state = fold(state, decide_record(state, item("exits_routes"), RULES, OFFICIALS))
    assert decide_record(state, item("exits_routes"), RULES, OFFICIALS) == []


def test_completion_needs_every_item_recorded():
    with pytest.raises(InvalidCommand) as exc:
        decide_complete(started(), complete_cmd(), CAL, RULES)
    assert "items" in exc.value.errors


def test_completion_turns_each_failed_item_into_a_hazard_and_records_the_major_determination():
    state = all_agreed(all_recorded(started(), {
        "exits_routes": item("exits_routes", "fail", level="major", determined_by=BOARD),
        "control_room": item("control_room", "corrected_on_spot"),
        "fire_approval": item("fire_approval", "not_applicable")}))
    events = decide_complete(state, complete_cmd(), CAL, RULES)
    assert names(events) == ["FireInspectionCompleted", "FireHazardIdentified",
                             "MajorHazardDetermined"]
    done = events[0].to_data()
    assert done["counts"] == {"pass": 7, "fail": 1, "corrected_on_spot": 1, "not_applicable": 1}
    assert done["service_due"] == "2026-11-26"  # 3 working days after Monday
    hazard = events[1].to_data()
    assert hazard["level"] == "major" and hazard["institution_uscc"] == state.institution_uscc
    assert events[2].to_data()["members"] == list(BOARD)
    for e in events:
        contracts.validate_data(ce_type("fire_safety", e.event_name), e.to_data())


def test_items_corrected_on_the_spot_do_not_become_hazards():
    state = completed_with({"control_room": item("control_room", "corrected_on_spot")})
    assert state.hazards == {}
    assert state.results["control_room"].outcome == "corrected_on_spot"


def test_a_completed_inspection_cannot_change_but_takes_corrections():
    state = major_and_general()
    with pytest.raises(Conflict):
        decide_record(state, item("exits_routes"), RULES, OFFICIALS)
    assert decide_complete(state, complete_cmd(), CAL, RULES) == []
    cmd = CorrectInspection("FI-1", "exits_routes", "照片编号更正为 7", "笔误", MONDAY, FR)
    assert names(decide_correct(state, cmd)) == ["FireInspectionCorrected"]
    assert state.results == fold(state, decide_correct(state, cmd)).results


def test_corrections_are_only_for_completed_inspections():
    cmd = CorrectInspection("FI-1", None, "x", "y", MONDAY, FR)
    with pytest.raises(Conflict):
        decide_correct(started(), cmd)
    with pytest.raises(NotFound):
        decide_correct(st.initial(), cmd)
    with pytest.raises(InvalidCommand):
        decide_correct(major_and_general(), dataclasses.replace(cmd, reason=" "))
