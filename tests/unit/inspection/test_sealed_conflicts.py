"""Declared conflicts are never in the snapshot in clear (the snapshot is public after the
draw): each object carries one salted tag, and only drawn objects' tags are ever opened.

Invariants:
- the snapshot lists inspectors without conflicts, and no institution a conflict names
  appears anywhere in it unless that institution is itself in the plan's scope;
- every object's conflict_tag is the hash of its opening, and the opening lists exactly the
  plan inspectors who declared a conflict with it; salts differ per object;
- sealing changes nothing about who is drawn: the v2 draw over the sealed snapshot and the
  opened conflicts equals the v1 draw over the same data with conflicts in clear.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection.domain.canonical import canonical, conflict_tag, sha256_hex
from inspection.domain.draw import draw
from inspection.domain.errors import DrawInfeasible
from inspection.domain.snapshot import DirectoryEntry, RosterEntry, build_snapshot

from tests.unit.inspection.builders import make_uscc

IN_SCOPE = [make_uscc(n) for n in range(1, 16)]
ELSEWHERE = [make_uscc(n, district="500104") for n in range(100, 106)]  # other district
PLAN = {"plan_id": "2026-joint-1", "departments": ["civil_affairs", "fire_rescue"],
        "districts": ["500103"], "operator_types": [], "team_size": 2,
        "ratios_bp": {"A": 5000, "B": 5000, "C": 5000, "D": 10_000},
        "exclude_previous_batches": True}


def _salt(uscc: str) -> str:
    return sha256_hex(f"test-salt|{uscc}".encode())[:32]


@st.composite
def directories(draw_: st.DrawFn) -> tuple[list[DirectoryEntry], list[RosterEntry]]:
    entries = [DirectoryEntry(u, "500103", "private_profit", "filed", draw_(st.sampled_from("BCD")))
               for u in draw_(st.lists(st.sampled_from(IN_SCOPE), min_size=1, unique=True))]
    entries += [DirectoryEntry(u, "500104", "private_profit", "filed") for u in ELSEWHERE]
    roster = [RosterEntry(f"{d}/I{n:04d}", d, n < 2 or draw_(st.booleans()),
                          tuple(draw_(st.lists(st.sampled_from(IN_SCOPE + ELSEWHERE),
                                               max_size=4, unique=True))))
              for d in ("civil_affairs", "fire_rescue", "health")
              for n in range(draw_(st.integers(2, 5)))]
    return entries, roster


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directories())
def test_the_snapshot_never_lists_an_inspectors_conflicts_in_clear(data):
    entries, roster = data
    snap, openings = build_snapshot(PLAN, entries, roster, set(), {}, _salt)
    text = canonical(snap).decode("utf-8")
    assert all(set(i) == {"key", "department", "active"} for i in snap["inspectors"])
    assert "conflicts" not in text
    assert not any(u in text for u in ELSEWHERE)  # out-of-scope conflicts leave no trace
    in_plan = [r for r in roster if r.department in PLAN["departments"]]
    for o in snap["objects"]:
        op = openings[o["uscc"]]
        assert o["conflict_tag"] == conflict_tag(op)
        assert op["inspectors"] == sorted(r.key for r in in_plan if o["uscc"] in r.conflicts)
        assert op["salt"] not in text
    assert len({op["salt"] for op in openings.values()}) == len(openings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directories(), st.text(min_size=1, max_size=16))
def test_sealing_the_conflicts_changes_nobody_drawn(data, seed):
    entries, roster = data
    snap, openings = build_snapshot(PLAN, entries, roster, set(), {}, _salt)
    legacy = copy.deepcopy(snap)
    legacy["algorithm"] = "eldercare-draw-v1"
    for o in legacy["objects"]:
        del o["conflict_tag"]
    for i in legacy["inspectors"]:
        i["conflicts"] = sorted(u for u, op in openings.items() if i["key"] in op["inspectors"])
    try:
        sealed = draw(seed, snap, {u: op["inspectors"] for u, op in openings.items()})
    except DrawInfeasible as exc:
        try:
            draw(seed, legacy, {})
        except DrawInfeasible as old:
            assert old.detail == exc.detail
            return
        raise AssertionError("the sealed draw failed where the clear one did not") from exc
    clear = draw(seed, legacy, {})
    assert (sealed["strata"], sealed["tasks"]) == (clear["strata"], clear["tasks"])
