"""Recusal after the draw (行政处罚法 arts. 42–43): the department decides, a replacement is
drawn by the published rule, the verifier recomputes it, and the draw itself never changes.

Invariants:
- a replacement is never the recused inspector, never someone already on the team, never
  someone recused from that institution before, never someone with a declared conflict with
  it, and always an active inspector of the recused inspector's department (so the team keeps
  its size, ≥ 2, and one inspector per plan department);
- recomputing every replacement from published data (seed, snapshot, opened conflicts,
  published replacements) gives the recorded ones;
- the DrawCompleted event and the plan's draw are the same before and after any recusals.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection.domain import plan as plans
from inspection.domain.canonical import commitment, digest
from inspection.domain.draw import verify
from inspection.domain.errors import (
    Conflict,
    DrawInfeasible,
    InvalidCommand,
    ReplacementInfeasible,
)
from inspection.domain.events import SamplingPlanPublished
from inspection.domain.plan import Plan

from tests.unit.inspection.builders import conflicts_of, inspector, make_uscc, obj, seal

PID = "2026-test-1"
TODAY = date(2026, 11, 23)
SEED = "5eed" * 16
USCCS = [make_uscc(n) for n in range(1, 31)]
DEPTS = ("civil_affairs", "fire_rescue")


def _drawn(snap: dict, openings: dict, seed: str = SEED) -> tuple[Plan, dict]:
    published = SamplingPlanPublished(PID, commitment(seed), digest(snap), snap["algorithm"],
                                      TODAY, 0, 0, 0, 0)
    state = Plan(plan_id=PID, status="published", published=published)
    [event] = plans.decide_draw(state, PID, seed, snap, openings, TODAY)
    return plans.evolve(state, event), event.to_data()


def _replacements(state: Plan) -> list[dict]:
    """The replacements as the public API shows them."""
    return [r.to_data() for r in state.replacements]


def _apply(state: Plan, events: list) -> Plan:
    for e in events:
        state = plans.evolve(state, e)
    return state


def _recuse(state: Plan, snap: dict, uscc: str, key: str, by: str = "institution",
            approve: bool = True) -> Plan:
    task_id = f"{PID}-{uscc}"
    state = _apply(state, plans.decide_request_recusal(
        state, PID, {"task_id": task_id, "inspector": key, "requested_by": by,
                     "reason": "检查人员与本机构负责人系近亲属"}, "assigned",
        key.split("/")[0], TODAY))
    rid = f"R{len(state.recusals)}"
    return _apply(state, plans.decide_recusal(state, PID, rid, approve, "" if approve else "无据",
                                              key.split("/")[0], snap, "assigned", TODAY))


@st.composite
def scenarios(draw_: st.DrawFn) -> tuple[dict, dict, str, list[tuple[int, int]]]:
    usccs = draw_(st.lists(st.sampled_from(USCCS), min_size=1, max_size=10, unique=True))
    departments = draw_(st.lists(st.sampled_from(DEPTS), min_size=1, max_size=2, unique=True))
    inspectors = []
    for dept in departments:
        for n in range(draw_(st.integers(2, 7))):
            bad = draw_(st.lists(st.sampled_from(usccs), max_size=2))
            inspectors.append(inspector(dept, n, n < 4 or draw_(st.booleans()),
                                        sorted(set(bad))))
    keys = [i["key"] for i in inspectors]
    last = {u: sorted(set(draw_(st.lists(st.sampled_from(keys), max_size=2))))
            for u in usccs[:3]}
    snap, openings = seal([obj(u, draw_(st.sampled_from("BCD"))) for u in usccs], inspectors,
                          departments, {"A": 10_000, "B": 10_000, "C": 5_000, "D": 10_000},
                          draw_(st.integers(2, 3)), {u: k for u, k in last.items() if k})
    picks = draw_(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1,
                           max_size=6))
    return snap, openings, draw_(st.text(min_size=1, max_size=12)), picks


def _run(scenario) -> tuple[Plan, dict, dict, dict] | None:
    """Draw, then approve the recusals the picks name; check each replacement's invariants."""
    snap, openings, seed, picks = scenario
    try:
        state, drawn = _drawn(snap, openings, seed)
    except DrawInfeasible:
        return None
    original = copy.deepcopy(drawn)
    conflicts = conflicts_of(openings)
    by_key = {i["key"]: i for i in snap["inspectors"]}
    for task_n, member_n in picks:
        if not state.teams:
            break
        uscc = sorted(state.teams)[task_n % len(state.teams)]
        before = state.teams[uscc]
        out = before[member_n % len(before)]
        recused_before = state.recused_from(uscc)
        try:
            after = _recuse(state, snap, uscc, out)
        except ReplacementInfeasible:
            continue  # nothing qualifies; nothing is stored (the state is unchanged)
        r = after.replacements[-1]
        new = r.replacement
        assert r.sequence == len(after.replacements)
        assert new != out and new not in before and new not in recused_before
        assert new not in conflicts[uscc]
        assert by_key[new]["active"] and by_key[new]["department"] == by_key[out]["department"]
        assert sorted(r.inspectors) == after.teams[uscc]
        assert len(after.teams[uscc]) == len(before) >= 2
        assert {k.split("/")[0] for k in after.teams[uscc]} == {k.split("/")[0] for k in before}
        state = after
    return state, drawn, original, openings


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_replacement_never_picks_the_recused_a_team_member_or_a_conflicted_inspector(
        scenario):
    _run(scenario)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_replacements_recomputed_from_published_data_equal_the_recorded_ones(scenario):
    ran = _run(scenario)
    if ran is None:
        return
    state, drawn, _, _ = ran
    snap, seed = scenario[0], scenario[2]
    out = verify(seed, snap, drawn["commitment"], drawn["snapshot_hash"], drawn["result_hash"],
                 openings=drawn["conflict_openings"], replacements=_replacements(state))
    assert out["matches"] is True, out
    assert [r["recomputed"] for r in out["replacements"]] == [
        r.replacement for r in state.replacements]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_recusals_never_rewrite_the_original_draw(scenario):
    ran = _run(scenario)
    if ran is None:
        return
    state, drawn, original, _ = ran
    assert state.drawn is not None
    assert drawn == original and state.drawn.to_data() == original
    assert state.status == "drawn"


def _small(fire: int = 2) -> tuple[dict, dict, Plan]:
    """One institution, 2 civil-affairs and ``fire`` fire-rescue inspectors, team of 2."""
    snap, openings = seal([obj(USCCS[0])], [inspector("civil_affairs", n) for n in range(2)]
                          + [inspector("fire_rescue", n) for n in range(fire)],
                          list(DEPTS), {"A": 10_000, "B": 10_000, "C": 10_000, "D": 10_000})
    return snap, openings, _drawn(snap, openings)[0]


def test_the_last_qualified_inspector_of_the_department_replaces_and_one_past_it_fails():
    snap, _, state = _small(fire=3)  # the task has 1 fire inspector; 2 others qualify
    fire = next(k for k in state.teams[USCCS[0]] if k.startswith("fire_rescue/"))
    state = _recuse(state, snap, USCCS[0], fire)  # one of two others
    second = state.replacements[-1].replacement
    state = _recuse(state, snap, USCCS[0], second)  # the last one who qualifies
    third = state.replacements[-1].replacement
    assert len({fire, second, third}) == 3
    with pytest.raises(ReplacementInfeasible) as exc:  # one past it: nobody left
        _recuse(state, snap, USCCS[0], third)
    assert exc.value.department == "fire_rescue" and "消防救援" in exc.value.detail


def test_a_declared_conflict_bars_the_only_other_inspector_from_replacing():
    snap, openings = seal([obj(USCCS[0])],
                          [inspector("civil_affairs", 0), inspector("civil_affairs", 1),
                           inspector("civil_affairs", 2, conflicts=[USCCS[0]])],
                          ["civil_affairs"], {"A": 10_000, "B": 10_000, "C": 1, "D": 1})
    state, _ = _drawn(snap, openings)
    assert state.teams[USCCS[0]] == ["civil_affairs/I0000", "civil_affairs/I0001"]
    with pytest.raises(ReplacementInfeasible):
        _recuse(state, snap, USCCS[0], "civil_affairs/I0000")


def test_a_refused_recusal_is_recorded_and_changes_no_team():
    snap, _, state = _small()
    team = state.teams[USCCS[0]]
    with pytest.raises(InvalidCommand) as exc:  # a refusal must give reasons
        plans.decide_recusal(_recuse_request(state), PID, "R1", False, " ", "civil_affairs",
                             snap, "assigned", TODAY)
    assert "reason" in exc.value.errors
    state = _recuse(state, snap, USCCS[0], team[0], approve=False)
    assert state.recusals["R1"].status == "refused" and state.teams[USCCS[0]] == team
    assert state.replacements == ()


def _recuse_request(state: Plan) -> Plan:
    key = state.teams[USCCS[0]][0]
    return _apply(state, plans.decide_request_recusal(
        state, PID, {"task_id": f"{PID}-{USCCS[0]}", "inspector": key,
                     "requested_by": "inspector", "reason": "本人曾在该机构任职"}, "assigned",
        "civil_affairs", TODAY))


def test_requests_and_decisions_are_retry_safe_and_a_changed_decision_is_refused():
    snap, _, state = _small(fire=3)
    state = _recuse_request(state)
    again = plans.decide_request_recusal(
        state, PID, {"task_id": f"{PID}-{USCCS[0]}", "inspector": state.teams[USCCS[0]][0],
                     "requested_by": "inspector", "reason": "本人曾在该机构任职"}, "assigned",
        "civil_affairs", TODAY)
    assert again == []
    with pytest.raises(Conflict):
        plans.decide_request_recusal(
            state, PID, {"task_id": f"{PID}-{USCCS[0]}",
                         "inspector": state.teams[USCCS[0]][0], "requested_by": "institution",
                         "reason": "另一理由"}, "assigned", "civil_affairs", TODAY)
    approved = _apply(state, plans.decide_recusal(state, PID, "R1", True, "", "civil_affairs",
                                                  snap, "assigned", TODAY))
    assert len(approved.replacements) == 1
    assert plans.decide_recusal(approved, PID, "R1", True, "", "civil_affairs", snap,
                                "assigned", TODAY) == []  # a retried approval draws nothing
    with pytest.raises(Conflict):
        plans.decide_recusal(approved, PID, "R1", False, "改变主意", "civil_affairs", snap,
                             "assigned", TODAY)
    refused = _apply(state, plans.decide_recusal(state, PID, "R1", False, "理由不成立",
                                                 "civil_affairs", snap, "assigned", TODAY))
    assert plans.decide_recusal(refused, PID, "R1", False, "理由不成立", "civil_affairs", snap,
                                "assigned", TODAY) == []
    with pytest.raises(Conflict):
        plans.decide_recusal(refused, PID, "R1", True, "", "civil_affairs", snap, "assigned",
                             TODAY)


def test_a_recusal_is_only_for_a_drawn_task_member_before_its_result_is_recorded():
    snap, openings, state = _small()
    undrawn = Plan(plan_id=PID, status="published", published=SamplingPlanPublished(
        PID, commitment(SEED), digest(snap), snap["algorithm"], TODAY, 0, 0, 0, 0))
    req = {"task_id": f"{PID}-{USCCS[0]}", "inspector": state.teams[USCCS[0]][0],
           "requested_by": "institution", "reason": "近亲属"}
    with pytest.raises(Conflict):  # before the draw there is nobody to recuse
        plans.decide_request_recusal(undrawn, PID, req, "assigned", "civil_affairs", TODAY)
    with pytest.raises(InvalidCommand) as exc:
        plans.decide_request_recusal(state, PID, {**req, "task_id": f"{PID}-{USCCS[1]}"},
                                     "assigned", "civil_affairs", TODAY)
    assert "task_id" in exc.value.errors
    with pytest.raises(InvalidCommand) as exc:
        plans.decide_request_recusal(state, PID, {**req, "inspector": "civil_affairs/I9999"},
                                     "assigned", "civil_affairs", TODAY)
    assert "inspector" in exc.value.errors
    assert plans.decide_request_recusal(state, PID, req, "inspected", "civil_affairs", TODAY)
    with pytest.raises(Conflict):  # once the result is recorded the team is final
        plans.decide_request_recusal(state, PID, req, "recorded", "civil_affairs", TODAY)


def test_a_tampered_replacement_fails_verification():
    snap, openings, state = _small(fire=3)
    fire = next(k for k in state.teams[USCCS[0]] if k.startswith("fire_rescue/"))
    state = _recuse(state, snap, USCCS[0], fire)
    assert state.drawn is not None
    drawn = state.drawn.to_data()
    honest = verify(SEED, snap, drawn["commitment"], drawn["snapshot_hash"],
                    drawn["result_hash"], drawn["conflict_openings"], _replacements(state))
    assert honest["matches"] is True
    other = next(i["key"] for i in snap["inspectors"] if i["department"] == "fire_rescue"
                 and i["key"] not in (fire, state.replacements[0].replacement))
    forged = [{**state.replacements[0].to_data(), "replacement": other}]
    out = verify(SEED, snap, drawn["commitment"], drawn["snapshot_hash"],
                 drawn["result_hash"], drawn["conflict_openings"], forged)
    assert out["matches"] is False and out["checks"]["replacements"] is False
    assert out["replacements"][0]["recomputed"] == state.replacements[0].replacement
