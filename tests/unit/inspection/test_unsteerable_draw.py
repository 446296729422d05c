"""Draws no one can steer (docs/draw-algorithm.md, "公开随机数").

Invariants:
- the seed of attempt n is HMAC(secret, plan | n | the log's checkpoint); a different
  checkpoint or attempt gives another seed, and nothing is drawn without the checkpoint of
  the record that opened the attempt (the plan's publication, then the previous attempt's end);
- the published commitment binds the secret: a draw with any other secret is refused;
- every attempt is a public event: a failed one with its reason, a voided one with its reason,
  and the chain 1, 2, ... is whole; any gap, reorder or missing reason is reported;
- a redraw after voiding gets new task ids, so no task of a voided draw is reused.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection.domain import plan as plans
from inspection.domain.canonical import (
    BEACON_RULE,
    attempt_seed,
    beacon_key,
    checkpoint_body,
    commitment,
    digest,
)
from inspection.domain.draw import attempt_problems, beacon_of, verify
from inspection.domain.errors import Conflict, InvalidCommand
from inspection.domain.events import DrawAttemptFailed, DrawCompleted, SamplingPlanPublished
from inspection.domain.plan import Plan

from tests.support import LocalBeacon
from tests.unit.inspection.builders import inspector, make_uscc, obj, seal

PID = "2026-beacon-1"
TODAY = date(2026, 12, 4)
SECRET = "ab" * 32
DEPTS = ("civil_affairs", "fire_rescue")
BEACON = LocalBeacon()


def _snapshot(fire: int = 3) -> tuple[dict, dict]:
    objects = [obj(make_uscc(n)) for n in range(1, 9)]
    inspectors = [inspector("civil_affairs", n) for n in range(1, 4)] + \
        [inspector("fire_rescue", n) for n in range(1, fire + 1)]
    return seal(objects, inspectors, list(DEPTS),
                {"A": 10000, "B": 5000, "C": 10000, "D": 10000})


def _published(snap: dict, secret: str = SECRET) -> Plan:
    published = SamplingPlanPublished(PID, commitment(secret), digest(snap), snap["algorithm"],
                                      TODAY, len(snap["objects"]), 0, 6, 6, beacon=BEACON_RULE)
    return Plan(plan_id=PID, status="published", published=published)


def _apply(state: Plan, events: list) -> Plan:
    for e in events:
        state = plans.evolve(state, e)
    return state


@settings(max_examples=40, deadline=None)
@given(secret=st.binary(min_size=16, max_size=32).map(bytes.hex),
       a=st.integers(1, 5), b=st.integers(1, 5), k1=st.text(min_size=1, max_size=20),
       k2=st.text(min_size=1, max_size=20))
def test_the_seed_depends_on_the_secret_the_attempt_and_the_checkpoint(secret, a, b, k1, k2):
    c1, c2 = BEACON.value(k1)["checkpoint"], BEACON.value(k2)["checkpoint"]
    same = attempt_seed(secret, PID, a, c1) == attempt_seed(secret, PID, b, c2)
    assert same == (a == b and checkpoint_body(c1) == checkpoint_body(c2))
    assert attempt_seed(secret, PID, a, c1) != attempt_seed(secret + "0", PID, a, c1)


def test_nothing_is_drawn_without_the_attempts_checkpoint():
    snap, openings = _snapshot()
    state = _published(snap)
    with pytest.raises(Conflict, match="公开随机数尚未产生"):
        plans.decide_draw(state, PID, SECRET, snap, openings, TODAY, None)
    wrong = BEACON.value(beacon_key(PID, 2))  # the checkpoint of another attempt's record
    with pytest.raises(Conflict, match="公开随机数尚未产生"):
        plans.decide_draw(state, PID, SECRET, snap, openings, TODAY, wrong)


def test_a_secret_other_than_the_committed_one_is_refused():
    snap, openings = _snapshot()
    with pytest.raises(Conflict, match="承诺值"):
        plans.decide_draw(_published(snap), PID, "cd" * 32, snap, openings, TODAY,
                          BEACON.value(beacon_key(PID, 1)))


def test_a_draw_reveals_the_secret_and_its_checkpoint_and_verifies():
    snap, openings = _snapshot()
    value = BEACON.value(beacon_key(PID, 1))
    [drawn] = plans.decide_draw(_published(snap), PID, SECRET, snap, openings, TODAY, value)
    assert isinstance(drawn, DrawCompleted) and drawn.attempt == 1
    assert drawn.secret == SECRET and drawn.beacon_checkpoint == value["checkpoint"]
    assert drawn.seed == attempt_seed(SECRET, PID, 1, value["checkpoint"])
    data = drawn.to_data()
    result = verify(drawn.seed, snap, drawn.commitment, drawn.snapshot_hash, drawn.result_hash,
                    openings=data["conflict_openings"], beacon=beacon_of(data, PID))
    assert result["matches"], result
    forged = {**data, "beacon_checkpoint": BEACON.value("another")["checkpoint"]}
    bad = verify(drawn.seed, snap, drawn.commitment, drawn.snapshot_hash, drawn.result_hash,
                 openings=data["conflict_openings"], beacon=beacon_of(forged, PID))
    assert not bad["matches"] and bad["checks"]["seed"] is False


def test_a_failed_attempt_is_stored_and_the_next_waits_for_its_own_checkpoint():
    snap, openings = _snapshot(fire=0)
    state = _published(snap)
    events = plans.decide_draw(state, PID, SECRET, snap, openings, TODAY,
                               BEACON.value(beacon_key(PID, 1)))
    assert [type(e) for e in events] == [DrawAttemptFailed] and events[0].reason
    state = _apply(state, events)
    assert state.status == "published" and plans.next_beacon_key(state) == \
        f"draw-closed:{PID}:1"


def test_voiding_needs_a_reason_and_no_inspection_and_a_redraw_gets_new_tasks():
    snap, openings = _snapshot()
    state = _published(snap)
    state = _apply(state, plans.decide_draw(state, PID, SECRET, snap, openings, TODAY,
                                            BEACON.value(beacon_key(PID, 1))))
    first = state.drawn
    assert first is not None
    statuses = {t.task_id: "assigned" for t in first.tasks}
    for short in (" ", "三个字", " 三个字 "):  # a reason needs 4 characters: 3 is one short
        with pytest.raises(InvalidCommand):
            plans.decide_void(state, PID, short, "civil_affairs", statuses, TODAY)
    assert plans.decide_void(state, PID, "四个字了", "civil_affairs", statuses, TODAY)
    started = {**statuses, first.tasks[0].task_id: "inspected"}
    with pytest.raises(Conflict, match="已开展检查"):
        plans.decide_void(state, PID, "名录快照有误", "civil_affairs", started, TODAY)
    state = _apply(state, plans.decide_void(state, PID, "名录快照有误", "civil_affairs",
                                            statuses, TODAY))
    assert state.status == "published" and state.drawn is None
    assert plans.decide_void(state, PID, "名录快照有误", "civil_affairs", statuses, TODAY) == []
    with pytest.raises(Conflict):  # a different voiding finds no draw
        plans.decide_void(state, PID, "另一个理由", "civil_affairs", statuses, TODAY)
    assert plans.next_beacon_key(state) == f"draw-closed:{PID}:1"
    again = plans.decide_draw(state, PID, SECRET, snap, openings, TODAY,
                              BEACON.value(f"draw-closed:{PID}:1"))
    state = _apply(state, again)
    assert state.drawn is not None and state.drawn.attempt == 2
    assert not {t.task_id for t in first.tasks} & {t.task_id for t in state.drawn.tasks}
    assert state.drawn.seed != first.seed


def test_a_plan_published_before_beacons_cannot_be_voided():
    snap, openings = _snapshot()
    published = SamplingPlanPublished(PID, commitment(SECRET), digest(snap), snap["algorithm"],
                                      TODAY, 8, 0, 6, 6)
    state = Plan(plan_id=PID, status="published", published=published)
    state = _apply(state, plans.decide_draw(state, PID, SECRET, snap, openings, TODAY))
    assert state.drawn is not None and state.drawn.seed == SECRET  # the old rule
    with pytest.raises(Conflict, match="公开随机数"):
        plans.decide_void(state, PID, "名录快照有误", "civil_affairs", {}, TODAY)


def _chain(steps: list[str]) -> list[dict]:
    """A lawful chain: each step is 'failed', or 'drawn' followed by an optional voiding."""
    out, n = [], 0
    for step in steps:
        n += 1
        if step == "failed":
            out.append({"attempt": n, "outcome": "failed", "reason": "人员不足"})
        else:
            out.append({"attempt": n, "outcome": "drawn"})
            if step == "voided":
                out.append({"attempt": n, "outcome": "voided", "reason": "快照有误"})
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["failed", "voided"]), max_size=6),
       st.booleans(), st.data())
def test_every_lawful_chain_passes_and_any_edit_of_it_is_caught(steps, end_drawn, data):
    chain = _chain(steps + (["drawn"] if end_drawn else []))
    assert attempt_problems(chain) == []
    if not chain:
        return
    i = data.draw(st.integers(0, len(chain) - 1))
    edit = data.draw(st.sampled_from(["drop", "renumber", "no-reason", "swap"]))
    edited = [dict(a) for a in chain]
    if edit == "drop":
        if len(chain) == 1 or i == len(chain) - 1:
            return  # dropping the last entry leaves a shorter lawful chain
        del edited[i]
    elif edit == "renumber":
        edited[i]["attempt"] += 1
    elif edit == "no-reason":
        if edited[i]["outcome"] == "drawn":
            return
        edited[i]["reason"] = ""
    else:
        if i == len(chain) - 1 or edited[i] == edited[i + 1]:
            return
        edited[i], edited[i + 1] = edited[i + 1], edited[i]
    assert attempt_problems(edited), (chain, edit, i)
