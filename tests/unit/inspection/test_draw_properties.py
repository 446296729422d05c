"""Property-based: whatever the directory, a draw never breaks a constraint."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection.domain.draw import draw, stratum_size
from inspection.domain.errors import DrawInfeasible

from tests.unit.inspection.builders import DEPTS, conflicts_of, inspector, make_uscc, obj, seal

USCCS = [make_uscc(n) for n in range(1, 41)]


@st.composite
def sealed(draw_: st.DrawFn, conflicts: bool = True,
           history: bool = True) -> tuple[dict, dict[str, list[str]]]:
    """A sealed snapshot and the declared conflicts (uscc -> keys) its openings give."""
    usccs = draw_(st.lists(st.sampled_from(USCCS), min_size=1, max_size=25, unique=True))
    objects = [obj(u, draw_(st.sampled_from("ABCD")), draw_(st.booleans()) if history
                   else False) for u in usccs]
    departments = draw_(st.lists(st.sampled_from(DEPTS), min_size=1, max_size=3, unique=True))
    inspectors = []
    for dept in departments:
        for n in range(draw_(st.integers(0, 6))):
            bad = draw_(st.lists(st.sampled_from(usccs), max_size=4)) if conflicts else []
            inspectors.append(inspector(dept, n, draw_(st.booleans()) if conflicts else True,
                                        sorted(set(bad))))
    keys = [i["key"] for i in inspectors]
    last = {}
    if history and keys:
        last = {u: sorted(set(draw_(st.lists(st.sampled_from(keys), max_size=2))))
                for u in usccs[:5]}
    ratios = {lv: draw_(st.integers(1, 10_000)) for lv in "ABCD"}
    snap, openings = seal(objects, inspectors, departments, ratios, draw_(st.integers(2, 4)),
                          {u: k for u, k in last.items() if k})
    return snap, conflicts_of(openings)


@st.composite
def snapshots(draw_: st.DrawFn, conflicts: bool = True, history: bool = True) -> dict:
    """A snapshot alone (for draws without declared conflicts)."""
    return draw_(sealed(conflicts, history))[0]


def _check_team(snap: dict, task: dict, conflicts: dict[str, list[str]]) -> None:
    by_key = {i["key"]: i for i in snap["inspectors"]}
    team = [by_key[k] for k in task["inspectors"]]
    assert len(set(task["inspectors"])) == len(team) >= max(2, snap["team_size"])
    assert {i["department"] for i in team} == set(snap["departments"]) | {
        i["department"] for i in team}
    assert set(snap["departments"]) <= {i["department"] for i in team}
    assert all(i["active"] for i in team)
    assert not set(task["inspectors"]) & set(conflicts.get(task["uscc"], ()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sealed(), st.text(min_size=1, max_size=20))
def test_no_draw_ever_breaks_an_inspector_or_stratum_constraint(sealed_snap, seed):
    snap, conflicts = sealed_snap
    try:
        result = draw(seed, snap, conflicts)
    except DrawInfeasible as exc:
        assert exc.detail and exc.uscc
        return
    excluded = {o["uscc"] for o in snap["objects"] if o["excluded"]}
    assert not excluded & {t["uscc"] for t in result["tasks"]}
    for stratum in result["strata"]:
        eligible = [o for o in snap["objects"]
                    if o["credit_level"] == stratum["level"] and not o["excluded"]]
        n = stratum_size(len(eligible), snap["ratios_bp"][stratum["level"]])
        assert stratum["drawn"] == n and (n >= 1 or not eligible)
    for task in result["tasks"]:
        _check_team(snap, task, conflicts)


@settings(max_examples=100, deadline=None)
@given(sealed(), st.text(min_size=1, max_size=20))
def test_the_same_seed_and_snapshot_always_give_the_same_draw(sealed_snap, seed):
    snap, conflicts = sealed_snap
    try:
        first = draw(seed, snap, conflicts)
    except DrawInfeasible:
        return
    assert draw(seed, snap, conflicts) == first


@settings(max_examples=150, deadline=None)
@given(snapshots(conflicts=False, history=False), st.text(min_size=1, max_size=20))
def test_without_conflicts_each_department_load_differs_by_at_most_one(snap, seed):
    try:
        result = draw(seed, snap, {})
    except DrawInfeasible:
        return
    load = Counter(k for t in result["tasks"] for k in t["inspectors"])
    for dept in snap["departments"]:
        counts = [load.get(i["key"], 0) for i in snap["inspectors"] if i["department"] == dept]
        assert max(counts) - min(counts) <= 1


@settings(max_examples=150, deadline=None)
@given(snapshots(conflicts=False, history=False), st.text(min_size=1, max_size=20))
def test_the_last_inspector_is_never_sent_again_while_others_are_free(snap, seed):
    objects = snap["objects"]
    keys = [i["key"] for i in snap["inspectors"]]
    if not keys:
        return
    snap["last_inspectors"] = {objects[0]["uscc"]: [keys[0]]}
    try:
        result = draw(seed, snap, {})
    except DrawInfeasible:
        return
    dept = keys[0].split("/")[0]
    same_dept = [k for k in keys if k.startswith(dept + "/")]
    for task in result["tasks"]:
        if task["uscc"] == objects[0]["uscc"] and len(same_dept) > len(
                [k for k in task["inspectors"] if k.startswith(dept + "/")]):
            assert keys[0] not in task["inspectors"]
