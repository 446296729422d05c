"""Collective decisions take effect only through each named member's own answer.

A major item's collective determination (GB 35181) and a collective sealing decision (or the
collective confirmation of an emergency sealing) name >= 3 officers; the leader only names
them. Invariants, over any order and any subset of answers:
- the inspection completes iff every named member of every major item has agreed;
- a sealing proposal takes effect with the last member's agreement, never before, and
  exactly once; a dissent ends it; a non-member is refused whatever they answer.
"""

from __future__ import annotations

import pytest
from fire_safety.domain.errors import Conflict, InvalidCommand
from fire_safety.domain.hazards import (
    ConfirmSealing,
    LiftSealing,
    OrderSealing,
    SealingVote,
    decide_confirm_sealing,
    decide_lift_sealing,
    decide_sealing,
    decide_sealing_vote,
)
from fire_safety.domain.inspection import (
    ConfirmDetermination,
    decide_complete,
    decide_confirm_determination,
    decide_record,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.authority import Forbidden
from tests.unit.fire_safety.builders import (
    BOARD,
    CAL,
    EXITS,
    MONDAY,
    OFFICIALS,
    RULES,
    all_recorded,
    complete_cmd,
    fold,
    item,
    major_and_general,
    names,
    started,
)

OFFICERS = (*BOARD, "fr-003", "fr-004")
OUTSIDERS = ("fr-003", "fr-004", "ca-001", "expert-1")


def recorded(members=BOARD, code="exits_routes"):
    return all_recorded(started(), {code: item(code, "fail", level="major",
                                               determined_by=tuple(members))})


def answer(state, member, agree=True, code="exits_routes"):
    return fold(state, decide_confirm_determination(
        state, ConfirmDetermination("FI-1", code, member, agree, MONDAY)))


def completes(state) -> bool:
    try:
        decide_complete(state, complete_cmd(), CAL, RULES)
    except InvalidCommand:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(members=st.lists(st.sampled_from(OFFICERS), min_size=3, max_size=5, unique=True),
       answers=st.lists(st.tuples(st.sampled_from(OFFICERS), st.booleans()), max_size=8))
def test_an_inspection_completes_iff_every_named_member_agreed(members, answers):
    state = recorded(members)
    given_by: dict[str, bool] = {}
    for member, agree in answers:
        if member not in members:
            with pytest.raises(Forbidden):
                answer(state, member, agree)
            continue
        if member in given_by and given_by[member] != agree:
            with pytest.raises(Conflict):
                answer(state, member, agree)
            continue
        state = answer(state, member, agree)
        given_by.setdefault(member, agree)
    agreed = all(given_by.get(m) is True for m in members)
    assert completes(state) == agreed
    if agreed:
        events = decide_complete(state, complete_cmd(), CAL, RULES)
        determined = [e for e in events if e.event_name == "MajorHazardDetermined"]
        assert determined[0].to_data()["agreeing"] == list(members)


def test_re_recording_the_item_starts_the_answers_afresh():
    state = recorded()
    for member in BOARD:
        state = answer(state, member)
    assert completes(state)
    other = ("fr-001", "fr-003", "fr-004")
    state = fold(state, decide_record(state, item("exits_routes", "fail", level="major",
                                                   determined_by=other), RULES, OFFICIALS))
    assert state.results["exits_routes"].waiting_for() == other
    assert not completes(state)


def test_answers_need_an_open_inspection_and_a_major_item():
    state = recorded()
    with pytest.raises(Conflict):  # control_room passed: nothing to determine
        answer(state, "fr-001", code="control_room")
    for member in BOARD:
        state = answer(state, member)
    state = fold(state, decide_complete(state, complete_cmd(), CAL, RULES))
    with pytest.raises(Conflict):  # completed: the record no longer changes
        answer(state, "fr-001")


def seal_collective(members=BOARD):
    state = major_and_general()
    return fold(state, decide_sealing(state, OrderSealing(
        EXITS, "二层", "疏散通道上锁", "collective", tuple(members), MONDAY, "fire_rescue"),
        RULES, OFFICIALS))


def emergency_then_confirm(members=BOARD):
    state = major_and_general()
    state = fold(state, decide_sealing(state, OrderSealing(
        EXITS, "二层", "疏散通道上锁", "emergency", ("fr-001",), MONDAY, "fire_rescue"),
        RULES, OFFICIALS))
    return fold(state, decide_confirm_sealing(
        state, ConfirmSealing(EXITS, tuple(members), MONDAY, "fire_rescue"), RULES, OFFICIALS))


def vote(state, member, agree=True):
    events = decide_sealing_vote(state, SealingVote(EXITS, member, agree, MONDAY))
    return fold(state, events), names(events)


@settings(max_examples=60, deadline=None)
@given(members=st.lists(st.sampled_from(OFFICERS), min_size=3, max_size=5, unique=True),
       order=st.randoms(use_true_random=False), emergency=st.booleans())
def test_a_sealing_proposal_takes_effect_with_the_last_agreement_never_before(
        members, order, emergency):
    state = emergency_then_confirm(members) if emergency else seal_collective(members)
    before = "sealed_unconfirmed" if emergency else None
    effect = "SealingConfirmed" if emergency else "SealingOrdered"
    sequence = list(members)
    order.shuffle(sequence)
    for n, member in enumerate(sequence, start=1):
        assert state.hazards[EXITS].sealing == before
        state, emitted = vote(state, member)
        last = n == len(sequence)
        assert (effect in emitted) == last
    assert state.hazards[EXITS].sealing == "sealed"
    assert state.hazards[EXITS].proposal is None
    with pytest.raises(Conflict):  # nothing pending any more
        vote(state, sequence[0])


@settings(max_examples=40, deadline=None)
@given(outsider=st.sampled_from(OUTSIDERS), agree=st.booleans())
def test_only_a_named_member_answers(outsider, agree):
    state = seal_collective(BOARD)
    with pytest.raises(Forbidden):
        vote(state, outsider, agree)


def test_a_dissent_ends_the_proposal_and_a_retry_is_harmless():
    state = seal_collective()
    state, emitted = vote(state, "fr-001")
    again, emitted_again = vote(state, "fr-001")
    assert emitted_again == [] and again == state
    state, emitted = vote(state, "fr-002", agree=False)
    assert emitted == ["SealingMemberConfirmed"]
    assert state.hazards[EXITS].proposal is None and state.hazards[EXITS].sealing is None
    with pytest.raises(Conflict):
        vote(state, "fr-chief")
    state = fold(state, decide_sealing(state, OrderSealing(   # a new proposal may follow
        EXITS, "二层", "疏散通道上锁", "collective", ("fr-001", "fr-003", "fr-chief"), MONDAY,
        "fire_rescue"), RULES, OFFICIALS))
    assert state.hazards[EXITS].proposal.waiting_for() == ("fr-001", "fr-003", "fr-chief")


def test_one_proposal_at_a_time_and_the_same_one_again_is_a_retry():
    state = seal_collective()
    same = OrderSealing(EXITS, "二层", "疏散通道上锁", "collective", BOARD, MONDAY,
                        "fire_rescue")
    assert decide_sealing(state, same, RULES, OFFICIALS) == []
    other = OrderSealing(EXITS, "三层", "疏散通道上锁", "collective", BOARD, MONDAY,
                         "fire_rescue")
    with pytest.raises(Conflict):
        decide_sealing(state, other, RULES, OFFICIALS)


def test_lifting_an_unconfirmed_emergency_sealing_ends_its_confirmation():
    state = emergency_then_confirm()
    state = fold(state, decide_lift_sealing(state, LiftSealing(EXITS, "已整改", MONDAY)))
    assert state.hazards[EXITS].proposal is None
    with pytest.raises(Conflict):
        vote(state, "fr-001")
