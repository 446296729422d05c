"""Plans that sample by risk class as well as by credit level: each (credit level, risk class)
stratum takes the higher ratio; the draw stays a pure function of (seed, snapshot)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from inspection.domain.draw import draw_objects, stratum_size
from inspection.domain.model import CREDIT_LEVELS, RISK_CLASSES
from inspection.domain.snapshot import DirectoryEntry, build_snapshot

objects = st.lists(st.tuples(st.sampled_from(CREDIT_LEVELS), st.sampled_from(RISK_CLASSES),
                             st.booleans()), max_size=40)
ratios = st.fixed_dictionaries({lv: st.integers(1, 10_000) for lv in CREDIT_LEVELS})
risk_ratios = st.fixed_dictionaries({c: st.integers(1, 10_000) for c in RISK_CLASSES})


def snapshot(objs, credit, risk) -> dict:
    out = {"ratios_bp": credit, "objects": [
        {"uscc": f"U{i:03d}", "credit_level": lv, "risk_class": rc, "excluded": ex}
        for i, (lv, rc, ex) in enumerate(objs)]}
    if risk is not None:
        out["risk_ratios_bp"] = risk
    return out


@settings(max_examples=200, deadline=None)
@given(objects, ratios, risk_ratios, st.text(min_size=1, max_size=8))
def test_each_stratum_draws_ceil_of_the_higher_ratio(objs, credit, risk, seed) -> None:
    snap = snapshot(objs, credit, risk)
    drawn, strata = draw_objects(seed, snap)
    assert drawn == draw_objects(seed, snap)[0]  # deterministic
    assert all(not o["excluded"] for o in drawn)
    for s in strata:
        eligible = [o for o in snap["objects"] if o["credit_level"] == s["level"]
                    and o["risk_class"] == s["risk_class"] and not o["excluded"]]
        ratio = max(credit[s["level"]], risk[s["risk_class"]])
        assert (s["eligible"], s["ratio_bp"]) == (len(eligible), ratio)
        assert s["drawn"] == stratum_size(len(eligible), ratio)
        got = [o for o in drawn if o["credit_level"] == s["level"]
               and o["risk_class"] == s["risk_class"]]
        assert len(got) == s["drawn"]


@settings(max_examples=150, deadline=None)
@given(objects, ratios, risk_ratios, st.sampled_from(RISK_CLASSES), st.text(min_size=1))
def test_a_higher_ratio_for_a_class_never_drops_one_it_drew(objs, credit, risk, cls, seed):
    before = {o["uscc"] for o in draw_objects(seed, snapshot(objs, credit, risk))[0]}
    more = {**risk, cls: 10_000}
    after = {o["uscc"] for o in draw_objects(seed, snapshot(objs, credit, more))[0]}
    assert before <= after
    assert {o["uscc"] for o in snapshot(objs, credit, more)["objects"]
            if o["risk_class"] == cls and not o["excluded"]} <= after


@settings(max_examples=100, deadline=None)
@given(objects, ratios, st.text(min_size=1))
def test_without_risk_ratios_the_draw_is_by_credit_level_only(objs, credit, seed) -> None:
    _, strata = draw_objects(seed, snapshot(objs, credit, None))
    assert [s["level"] for s in strata] == list(CREDIT_LEVELS)
    assert all("risk_class" not in s for s in strata)


def test_the_snapshot_names_risk_classes_only_for_plans_that_sample_by_them() -> None:
    plan = {"plan_id": "p", "departments": ["civil_affairs"], "districts": [],
            "operator_types": [], "team_size": 2, "exclude_previous_batches": False,
            "ratios_bp": {lv: 1000 for lv in CREDIT_LEVELS}}
    entry = DirectoryEntry("91500103MA5U7XYK4F", "500103", "private_profit", "filed", "B",
                           risk_class="high")
    plain, _ = build_snapshot(plan, [entry], [], set(), {}, lambda u: "salt")
    assert "risk_ratios_bp" not in plain and "risk_class" not in plain["objects"][0]
    risky, _ = build_snapshot({**plan, "risk_ratios_bp": {c: 5000 for c in RISK_CLASSES}},
                              [entry], [], set(), {}, lambda u: "salt")
    assert risky["objects"][0]["risk_class"] == "high"
    assert risky["risk_ratios_bp"]["critical"] == 5000
