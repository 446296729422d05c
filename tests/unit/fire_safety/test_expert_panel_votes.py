"""The expert panel decides by its members' own confirmations: never effective below two
thirds of the panel, always at it; a panel below the minimum is refused when convened."""

from __future__ import annotations

import math

import pytest
from fire_safety.domain.errors import Conflict, InvalidCommand
from fire_safety.domain.hazards import ConvenePanel, PanelVote, decide_convene, decide_vote
from fire_safety.domain.officials import Official
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.authority import Forbidden
from tests.unit.fire_safety.builders import MONDAY, OFFICIALS, RULES, completed_with, fold, item

PENDING = "FI-1.combustible_decoration"
EXPERTS = tuple(f"panel-{n:02d}" for n in range(1, 16))
REGISTER = {**OFFICIALS, **{x: Official(x, "fire_rescue", "500103", "expert") for x in EXPERTS}}


def pending():
    return completed_with({"combustible_decoration": item(
        "combustible_decoration", "fail", level="pending_expert_review")})


def convened(members, result="major"):
    state = pending()
    return fold(state, decide_convene(state, ConvenePanel(PENDING, tuple(members), result,
                                                          MONDAY, "fire_rescue"),
                                      RULES, REGISTER))


def vote(state, member, agree=True):
    events = decide_vote(state, PanelVote(PENDING, member, agree, MONDAY, "fire_rescue"),
                         RULES, REGISTER)
    return fold(state, events), [e.event_name for e in events]


@pytest.mark.parametrize(("size", "ok"), [(RULES.panel_min, True), (RULES.panel_min - 1, False)])
def test_a_panel_below_the_minimum_is_refused_at_the_limit_and_one_below(size, ok):
    if ok:
        assert convened(EXPERTS[:size]).hazards[PENDING].panel_members == EXPERTS[:size]
    else:
        with pytest.raises(InvalidCommand):
            convened(EXPERTS[:size])


@settings(max_examples=60, deadline=None)
@given(size=st.integers(RULES.panel_min, len(EXPERTS)), data=st.data())
def test_effective_exactly_when_the_agreeing_reach_two_thirds(size, data):
    members = EXPERTS[:size]
    answers = data.draw(st.lists(st.booleans(), min_size=size, max_size=size))
    state = convened(members)
    need = math.ceil(size * RULES.panel_share_num / RULES.panel_share_den)
    agreed = 0
    for member, agree in zip(members, answers, strict=True):
        state, names = vote(state, member, agree)
        agreed += agree
        determined = "MajorHazardDetermined" in names
        assert determined == (agree and agreed == need)  # with the vote that reaches it
        assert (state.hazards[PENDING].level == "major") == (agreed >= need)


def test_only_members_vote_once_each_and_a_changed_answer_is_a_conflict():
    state = convened(EXPERTS[:7])
    with pytest.raises(Forbidden):
        vote(state, "fr-001")
    state, names = vote(state, EXPERTS[0])
    assert names == ["ExpertPanelVoted"]
    assert vote(state, EXPERTS[0])[1] == []  # the same answer again stores nothing
    with pytest.raises(Conflict):
        vote(state, EXPERTS[0], agree=False)


def test_no_vote_before_a_panel_and_no_second_panel_while_one_waits():
    with pytest.raises(Conflict):
        vote(pending(), EXPERTS[0])
    state = convened(EXPERTS[:7])
    with pytest.raises(Conflict):
        decide_convene(state, ConvenePanel(PENDING, EXPERTS[1:8], "major", MONDAY,
                                           "fire_rescue"), RULES, REGISTER)
    same = decide_convene(state, ConvenePanel(PENDING, EXPERTS[:7], "major", MONDAY,
                                              "fire_rescue"), RULES, REGISTER)
    assert same == []
