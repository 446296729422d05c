"""Issue 9: only the inspection's own department records its findings; members of a collective
determination, an expert panel or a sealing decision are distinct, active, registered accounts
of the right department (not free text), and nobody with a declared interest sits."""

from __future__ import annotations

import dataclasses

import pytest
from fire_safety.domain import officials as of
from fire_safety.domain import state as st
from fire_safety.domain.errors import Conflict, Forbidden, InvalidCommand, NotFound
from fire_safety.domain.events import EVENTS
from fire_safety.domain.hazards import (
    ExpertDetermination,
    OrderSealing,
    decide_expert,
    decide_sealing,
)
from fire_safety.domain.inspection import (
    CorrectInspection,
    decide_complete,
    decide_correct,
    decide_record,
    decide_start,
)
from fire_safety.domain.model import Inspector
from fire_safety.domain.officials import Official
from fire_safety.domain.rules import Rules
from hypothesis import given, settings
from hypothesis import strategies as hs

from shared import contracts
from shared.envelope import ce_type
from tests.unit.fire_safety.builders import (
    BOARD,
    CAL,
    EXITS,
    MONDAY,
    OFFICIALS,
    PANEL,
    RULES,
    complete_cmd,
    completed_with,
    fold,
    item,
    major_and_general,
    make_uscc,
    names,
    start_cmd,
    started,
)

PENDING = "FI-1.combustible_decoration"
JOINT_TEAM = (Inspector("fr-001", "fire_rescue"), Inspector("ca-001", "civil_affairs"))


def major(people, actor_dept="fire_rescue"):
    return item("exits_routes", "fail", level="major", determined_by=tuple(people),
                actor_dept=actor_dept)


def pending():
    return completed_with({"combustible_decoration": item(
        "combustible_decoration", "fail", level="pending_expert_review")})


def panel(members, agreeing=None, actor_dept="fire_rescue", result="major"):
    agreeing = members if agreeing is None else agreeing
    return ExpertDetermination(PENDING, tuple(members), tuple(agreeing), result, MONDAY,
                               actor_dept)


# --- only the inspection's own department records its findings -------------------------------

@pytest.mark.parametrize("actor", ["civil_affairs", "admin", "health"])
def test_only_the_inspections_own_department_records_its_findings(actor):
    state = started()  # fire_supervision, opened by fire_rescue
    with pytest.raises(Forbidden):
        decide_record(state, item("exits_routes", actor_dept=actor), RULES, OFFICIALS)
    done = all_passed()
    with pytest.raises(Forbidden):
        decide_complete(done, complete_cmd(actor_dept=actor), CAL, RULES)
    with pytest.raises(Forbidden):
        decide_correct(major_and_general(),
                       CorrectInspection("FI-1", None, "更正", "笔误", MONDAY, actor))
    assert names(decide_record(state, item("exits_routes"), RULES, OFFICIALS)) == [
        "FireInspectionItemRecorded"]


def all_passed():
    state = started()
    for i in state.items:
        state = fold(state, decide_record(state, item(i.code), RULES, OFFICIALS))
    return state


def test_a_joint_check_opened_by_civil_affairs_is_recorded_by_civil_affairs_only():
    events = decide_start(st.initial(), start_cmd(kind="joint_daily", inspectors=JOINT_TEAM,
                                                  actor_dept="civil_affairs"), RULES)
    assert events[0].to_data()["department"] == "civil_affairs"
    contracts.validate_data(ce_type("fire_safety", events[0].event_name), events[0].to_data())
    state = fold(st.initial(), events)
    with pytest.raises(Forbidden):
        decide_record(state, item("exits_routes"), RULES, OFFICIALS)  # fire_rescue
    ok = item("exits_routes", actor_dept="civil_affairs")
    assert names(decide_record(state, ok, RULES, OFFICIALS)) == ["FireInspectionItemRecorded"]


def test_admin_cannot_open_an_inspection_for_a_department():
    with pytest.raises(Forbidden):
        decide_start(st.initial(), start_cmd(actor_dept="admin"), RULES)


def test_inspections_stored_before_the_department_was_recorded_still_replay():
    """Old FireInspectionStarted has no department: the kind's departments may record, and
    old free-text members in recorded items and determinations are read as they are."""
    data = decide_start(st.initial(), start_cmd(kind="joint_daily", inspectors=JOINT_TEAM,
                                                actor_dept="civil_affairs"), RULES)[0].to_data()
    legacy = {k: v for k, v in data.items() if k != "department"}
    contracts.validate_data(ce_type("fire_safety", "FireInspectionStarted"), legacy)
    state = st.evolve(st.initial(), EVENTS.decode("FireInspectionStarted", 1, legacy))
    assert state.recording_departments == ("fire_rescue", "civil_affairs")
    for dept in ("fire_rescue", "civil_affairs"):
        assert decide_record(state, item("exits_routes", actor_dept=dept), RULES, OFFICIALS)
    with pytest.raises(Forbidden):
        decide_record(state, item("exits_routes", actor_dept="admin"), RULES, OFFICIALS)
    state = st.evolve(state, EVENTS.decode("FireInspectionItemRecorded", 1, {
        "inspection_id": "FI-1", "institution_uscc": state.institution_uscc,
        "item_code": "exits_routes", "outcome": "fail", "evidence": "x", "level": "major",
        "determined_by": ["张三", "李四", "王五"]}))
    assert state.results["exits_routes"].determined_by == ("张三", "李四", "王五")


# --- collective determination: >= 3 registered officers of the inspection's department -------

def test_a_collective_determination_needs_three_registered_officers_three_ok_two_refused():
    assert names(decide_record(started(), major(BOARD), RULES, OFFICIALS)) == [
        "FireInspectionItemRecorded"]
    with pytest.raises(InvalidCommand) as exc:
        decide_record(started(), major(BOARD[:2]), RULES, OFFICIALS)
    assert list(exc.value.errors) == ["determined_by"]


def test_the_collective_minimum_comes_from_the_rules():
    four = Rules(collective_min=4)
    with pytest.raises(InvalidCommand):
        decide_record(started(), major(BOARD), four, OFFICIALS)
    assert decide_record(started(), major((*BOARD, "fr-003")), four, OFFICIALS)


def test_collective_members_are_of_the_inspections_department_not_free_text():
    for people in (("fr-001", "fr-002", "张三"),             # free text: not registered
                   ("fr-001", "fr-002", "ca-001"),           # civil affairs
                   ("fr-001", "fr-002", "fr-retired"),       # deactivated
                   ("fr-001", "fr-002", "expert-1"),         # an expert: panels only
                   ("fr-001", "fr-002", "fr-001", "fr-chief")):  # duplicate
        with pytest.raises(InvalidCommand) as exc:
            decide_record(started(), major(people), RULES, OFFICIALS)
        assert "determined_by" in exc.value.errors, people
    joint = fold(st.initial(), decide_start(st.initial(), start_cmd(
        kind="joint_daily", inspectors=JOINT_TEAM, actor_dept="civil_affairs"), RULES))
    with pytest.raises(InvalidCommand):
        decide_record(joint, major(BOARD, "civil_affairs"), RULES, OFFICIALS)
    ca = major(("ca-001", "ca-002", "ca-003"), "civil_affairs")
    assert names(decide_record(joint, ca, RULES, OFFICIALS)) == ["FireInspectionItemRecorded"]


# Every login in the pool falls in one category; only "ok" may sit on a collective.
POOL = {"fr-001": "ok", "fr-002": "ok", "fr-chief": "ok", "fr-003": "ok", "fr-004": "ok",
        "ghost-1": "unknown", "李四": "unknown", "ca-001": "wrong_department",
        "fr-retired": "inactive", "expert-1": "wrong_duty"}
member_lists = hs.lists(hs.sampled_from(sorted(POOL)), min_size=0, max_size=8)


@settings(max_examples=300, deadline=None)
@given(member_lists)
def test_any_collective_list_is_accepted_exactly_when_distinct_registered_and_big_enough(people):
    valid = (len(set(people)) == len(people) and len(people) >= RULES.collective_min
             and all(POOL[p] == "ok" for p in people))
    try:
        events = decide_record(started(), major(people), RULES, OFFICIALS)
    except InvalidCommand as exc:
        assert not valid
        assert set(exc.errors) == {"determined_by"}
        text = " ".join(exc.errors["determined_by"])
        for p in people:
            if POOL[p] != "ok" or people.count(p) > 1:
                assert p in text, (p, text)
    else:
        assert valid
        assert events[0].to_data()["determined_by"] == people


# --- expert panel: >= 7 registered members of fire rescue, >= 2/3 agreeing -------------------

def test_an_expert_panel_of_seven_registered_members_is_enough_and_six_is_not():
    assert names(decide_expert(pending(), panel(PANEL), RULES, OFFICIALS)) == [
        "MajorHazardDetermined"]
    with pytest.raises(InvalidCommand) as exc:
        decide_expert(pending(), panel(PANEL[:6]), RULES, OFFICIALS)
    assert "members" in exc.value.errors
    mixed = (*PANEL[:4], "fr-001", "fr-002", "fr-chief")  # officers may sit with experts
    assert decide_expert(pending(), panel(mixed), RULES, OFFICIALS)


@pytest.mark.parametrize(("size", "agree", "ok"), [
    (7, 5, True), (7, 4, False),    # 5/7 >= 2/3 > 4/7
    (9, 6, True), (9, 5, False),    # exactly 2/3 is enough
    (10, 7, True), (10, 6, False),
])
def test_the_panel_needs_two_thirds_agreeing_at_the_boundary(size, agree, ok):
    members = (*PANEL, "fr-001", "fr-002", "fr-chief")[:size]
    cmd = panel(members, members[:agree])
    if ok:
        assert names(decide_expert(pending(), cmd, RULES, OFFICIALS)) == [
            "MajorHazardDetermined"]
    else:
        with pytest.raises(InvalidCommand) as exc:
            decide_expert(pending(), cmd, RULES, OFFICIALS)
        assert list(exc.value.errors) == ["agreeing"]


PANEL_POOL = {**{p: "ok" for p in PANEL}, "fr-001": "ok", "fr-002": "ok", "fr-chief": "ok",
              "ghost-1": "unknown", "ca-001": "wrong_department", "fr-retired": "inactive"}


@settings(max_examples=300, deadline=None)
@given(hs.lists(hs.sampled_from(sorted(PANEL_POOL)), min_size=0, max_size=12))
def test_any_panel_is_accepted_exactly_when_distinct_registered_and_seven_or_more(members):
    valid = (len(set(members)) == len(members) and len(members) >= RULES.panel_min
             and all(PANEL_POOL[m] == "ok" for m in members))
    try:
        decide_expert(pending(), panel(members, list(dict.fromkeys(members))), RULES,
                      OFFICIALS)
    except InvalidCommand as exc:
        assert not valid
        assert "members" in exc.errors
    else:
        assert valid


def test_an_interested_party_cannot_sit_on_the_panel_or_the_collective():
    uscc = started().institution_uscc
    directory = {**OFFICIALS, "expert-7": dataclasses.replace(OFFICIALS["expert-7"],
                                                               conflicts=(uscc,)),
                 "fr-chief": dataclasses.replace(OFFICIALS["fr-chief"], conflicts=(uscc,))}
    with pytest.raises(InvalidCommand) as exc:
        decide_expert(pending(), panel(PANEL), RULES, directory)
    assert "expert-7" in " ".join(exc.value.errors["members"])
    with pytest.raises(InvalidCommand):
        decide_record(started(), major(BOARD), RULES, directory)
    other = {"fr-chief": dataclasses.replace(OFFICIALS["fr-chief"],
                                             conflicts=(make_uscc(99),))}
    assert decide_record(started(), major(BOARD), RULES, {**OFFICIALS, **other})


@pytest.mark.parametrize("actor", ["civil_affairs", "admin"])
def test_only_fire_rescue_records_an_expert_panel_or_a_sealing(actor):
    with pytest.raises(Forbidden):
        decide_expert(pending(), panel(PANEL, actor_dept=actor), RULES, OFFICIALS)
    seal = OrderSealing(EXITS, "二层", "重大火灾隐患", "collective", BOARD, MONDAY, actor)
    with pytest.raises(Forbidden):
        decide_sealing(major_and_general(), seal, RULES, OFFICIALS)


def test_sealing_deciders_are_registered_fire_rescue_officers():
    seal = OrderSealing(EXITS, "二层", "重大火灾隐患", "collective",
                        ("fr-001", "fr-002", "expert-1"), MONDAY, "fire_rescue")
    with pytest.raises(InvalidCommand) as exc:
        decide_sealing(major_and_general(), seal, RULES, OFFICIALS)
    assert "decided_by" in exc.value.errors
    emergency = dataclasses.replace(seal, decision="emergency", decided_by=("ghost-1",))
    with pytest.raises(InvalidCommand):
        decide_sealing(major_and_general(), emergency, RULES, OFFICIALS)


# --- the register itself ---------------------------------------------------------------------

def register(state, official, actor="fire_rescue"):
    events = of.decide_register(state, of.RegisterOfficial(official, actor))
    for e in events:
        contracts.validate_data(ce_type("fire_safety", e.event_name), e.to_data())
    return fold_register(state, events), events


def fold_register(state, events):
    for e in events:
        state = of.evolve(state, e)
    return state


def test_a_department_registers_and_deactivates_its_own_officials_once():
    fr1 = Official("fr-101", "fire_rescue", "500103", conflicts=(make_uscc(3),))
    state, events = register(of.initial(), fr1)
    assert names(events) == ["OfficialRegistered"] and state["fr-101"].active
    assert register(state, fr1)[1] == []                      # same again: nothing
    with pytest.raises(Conflict):                             # different details
        register(state, dataclasses.replace(fr1, region="500104"))
    with pytest.raises(Conflict):                             # one login, one department
        register(state, dataclasses.replace(fr1, department="civil_affairs"), "civil_affairs")
    with pytest.raises(Forbidden):
        register(state, Official("ca-101", "civil_affairs", "500103"))  # by fire_rescue
    off = of.DeactivateOfficial("fire_rescue", "fr-101", "调离", "fire_rescue")
    events = of.decide_deactivate(state, off)
    contracts.validate_data(ce_type("fire_safety", events[0].event_name), events[0].to_data())
    state = fold_register(state, events)
    assert not state["fr-101"].active and of.decide_deactivate(state, off) == []
    with pytest.raises(NotFound):
        of.decide_deactivate(state, dataclasses.replace(off, login="nobody"))
    with pytest.raises(Forbidden):
        of.decide_deactivate(state, dataclasses.replace(off, actor_dept="civil_affairs"))
    state, events = register(state, fr1)                      # registered again: active
    assert names(events) == ["OfficialRegistered"] and state["fr-101"].active
