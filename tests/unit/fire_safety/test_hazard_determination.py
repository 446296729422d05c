"""Expert panel (>= 7, >= 2/3 agreeing) and temporary sealing of major hazards."""

from __future__ import annotations

import pytest
from fire_safety.domain.errors import Conflict, InvalidCommand
from fire_safety.domain.hazards import (
    ConfirmSealing,
    ExpertDetermination,
    LiftSealing,
    OrderSealing,
    SealingVote,
    decide_confirm_sealing,
    decide_expert,
    decide_lift_sealing,
    decide_sealing,
    decide_sealing_vote,
)
from fire_safety.domain.rectification import OrderRectification, decide_order

from shared import contracts
from shared.envelope import ce_type
from tests.unit.fire_safety.builders import (
    BOARD,
    CAL,
    EXITS,
    LIGHTS,
    MONDAY,
    OFFICIALS,
    PANEL,
    RULES,
    completed_with,
    fold,
    item,
    major_and_general,
    names,
)

PENDING = "FI-1.combustible_decoration"


def pending():
    return completed_with({"combustible_decoration": item(
        "combustible_decoration", "fail", level="pending_expert_review")})


def expert(members=PANEL, agreeing=PANEL[:5], result="major", hazard=PENDING):
    return ExpertDetermination(hazard, tuple(members), tuple(agreeing), result, MONDAY,
                               "fire_rescue")


def test_a_panel_of_seven_with_two_thirds_agreeing_determines_a_major_hazard():
    events = decide_expert(pending(), expert(), RULES, OFFICIALS)
    assert names(events) == ["MajorHazardDetermined"]
    assert events[0].to_data()["method"] == "expert_panel"
    contracts.validate_data(ce_type("fire_safety", events[0].event_name), events[0].to_data())
    assert fold(pending(), events).hazards[PENDING].level == "major"


@pytest.mark.parametrize(("members", "agreeing", "field"), [
    (PANEL[:6], PANEL[:6], "members"),
    (PANEL, PANEL[:4], "agreeing"),
    (PANEL, (*PANEL[:4], "outsider"), "agreeing"),
])
def test_a_too_small_panel_or_share_is_refused(members, agreeing, field):
    with pytest.raises(InvalidCommand) as exc:
        decide_expert(pending(), expert(members, agreeing), RULES, OFFICIALS)
    assert field in exc.value.errors


def test_the_panel_may_find_a_hazard_general():
    events = decide_expert(pending(), expert(result="general"), RULES, OFFICIALS)
    assert names(events) == ["HazardDeterminedGeneral"]
    assert fold(pending(), events).hazards[PENDING].level == "general"


def test_a_general_hazard_may_be_escalated_but_a_major_one_is_already_determined():
    assert names(decide_expert(major_and_general(), expert(hazard=LIGHTS), RULES, OFFICIALS)) == [
        "MajorHazardDetermined"]
    with pytest.raises(Conflict):
        decide_expert(major_and_general(), expert(hazard=EXITS), RULES, OFFICIALS)


def test_no_rectification_order_while_the_panel_has_not_decided():
    with pytest.raises(Conflict):
        decide_order(pending(), OrderRectification(PENDING, 5, MONDAY, "", MONDAY), CAL, RULES)


def seal(decision="collective", decided_by=BOARD, hazard=EXITS):
    return OrderSealing(hazard, "二层东侧疏散通道", "重大火灾隐患", decision, tuple(decided_by),
                        MONDAY, "fire_rescue")


def confirm(decided_by, actor_dept="fire_rescue"):
    return ConfirmSealing(EXITS, tuple(decided_by), MONDAY, actor_dept)


def test_only_major_hazards_can_be_sealed_by_a_collective_decision_of_three():
    state = major_and_general()
    with pytest.raises(Conflict):
        decide_sealing(state, seal(hazard=LIGHTS), RULES, OFFICIALS)
    with pytest.raises(InvalidCommand):
        decide_sealing(state, seal(decided_by=BOARD[:2]), RULES, OFFICIALS)
    events = decide_sealing(state, seal(), RULES, OFFICIALS)
    contracts.validate_data(ce_type("fire_safety", events[0].event_name), events[0].to_data())
    state = fold(state, events)
    assert names(events) == ["SealingProposed"] and state.hazards[EXITS].sealing is None
    state = agreed_by_all(state)
    assert state.hazards[EXITS].sealing == "sealed"
    with pytest.raises(Conflict):
        decide_sealing(state, seal(), RULES, OFFICIALS)
    state = fold(state, decide_lift_sealing(state, LiftSealing(EXITS, "已整改", MONDAY)))
    assert state.hazards[EXITS].sealing == "lifted"


def test_an_emergency_sealing_must_be_confirmed_collectively_within_a_day():
    events = decide_sealing(major_and_general(), seal("emergency", ("fr-001",)), RULES, OFFICIALS)
    assert events[0].to_data()["confirm_by"] == "2026-11-24"
    state = fold(major_and_general(), events)
    assert state.hazards[EXITS].sealing == "sealed_unconfirmed"
    with pytest.raises(InvalidCommand):
        decide_confirm_sealing(state, confirm(("fr-001", "fr-002")), RULES, OFFICIALS)
    state = fold(state, decide_confirm_sealing(state, confirm(BOARD), RULES, OFFICIALS))
    assert state.hazards[EXITS].sealing == "sealed_unconfirmed"  # until every member agrees
    state = agreed_by_all(state)
    assert state.hazards[EXITS].sealing == "sealed"


def agreed_by_all(state):
    """Every member of the pending sealing proposal agrees from their own account."""
    for member in state.hazards[EXITS].proposal.waiting_for():
        events = decide_sealing_vote(state, SealingVote(EXITS, member, True, MONDAY))
        for e in events:
            contracts.validate_data(ce_type("fire_safety", e.event_name), e.to_data())
        state = fold(state, events)
    return state


def test_an_emergency_sealing_not_confirmed_in_time_is_flagged_once():
    from datetime import timedelta

    from fire_safety.domain.overdue import CheckOverdue, decide_check

    state = fold(major_and_general(),
                 decide_sealing(major_and_general(), seal("emergency", ("fr-001",)), RULES,
                                OFFICIALS))
    due = state.hazards[EXITS].sealing_confirm_by
    on_time = [e.event_name for e in decide_check(state, CheckOverdue(due), CAL)]
    assert "SealingConfirmationOverdue" not in on_time
    late = [e for e in decide_check(state, CheckOverdue(due + timedelta(days=1)), CAL)
            if e.event_name == "SealingConfirmationOverdue"]
    assert len(late) == 1 and late[0].to_data()["confirm_by"] == due.isoformat()
    contracts.validate_data(ce_type("fire_safety", late[0].event_name), late[0].to_data())
    state = fold(state, late)
    again = decide_check(state, CheckOverdue(due + timedelta(days=2)), CAL)
    assert "SealingConfirmationOverdue" not in [e.event_name for e in again]
