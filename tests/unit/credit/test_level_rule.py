"""The credit-level rule as invariants (credit/domain/level.py), proved over random record sets.

Orders: A > B > C > D, i.e. "worse or equal" is a larger index in LEVELS.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from credit.config import load_rules
from credit.domain.level import LEVELS, Record, assess, below, worst
from credit.domain.model import add_months
from credit.domain.rules import DEFAULT_WEIGHTS, LevelRules
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.config import Settings

TODAY = date(2026, 11, 23)
CATEGORIES = ["penalty.fire_safety", "penalty.service_quality", "unfiled_operation",
              "inspection_problem", "major_fire_hazard", "fire_rectification_overdue",
              "escrow_shortfall", "deposit_rejected", "refund_overdue", "serious_dishonesty"]
NEGATIVE = ["penalty.fire_safety", "major_fire_hazard", "fire_rectification_overdue",
            "escrow_shortfall", "unfiled_operation", "refund_overdue", "serious_dishonesty"]


def rank(level: str) -> int:
    return LEVELS.index(level)


@st.composite
def rule_sets(draw) -> LevelRules:
    """Any valid configuration: weights ≥ 0, descending thresholds, any neutral class."""
    c = draw(st.integers(0, 100))
    b = draw(st.integers(c, 100))
    a = draw(st.integers(b, 100))
    full = draw(st.integers(0, 24))
    weights = {k: draw(st.integers(0, 60)) for k in ("penalty", *CATEGORIES[2:])}
    return LevelRules(weights=weights, full_weight_months=full,
                      fade_out_months=draw(st.integers(max(full, 1), 60)),
                      thresholds=(("A", a), ("B", b), ("C", c)),
                      neutral_level=draw(st.sampled_from(LEVELS)),
                      neutral_months=draw(st.integers(0, 24)))


def records(category=st.sampled_from(CATEGORIES)):
    return st.builds(Record, category=category, points=st.integers(0, 60),
                     occurred_on=st.dates(date(2021, 1, 1), TODAY),
                     withdrawn=st.booleans())


record_sets = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), records(),
                              max_size=8)
filing_dates = st.none() | st.dates(date(2018, 1, 1), TODAY)


def level(recs, rules, filed_on, today=TODAY) -> str:
    return assess(recs, today, rules, filed_on).level


@settings(max_examples=400, deadline=None)
@given(record_sets, records(st.sampled_from(NEGATIVE)), rule_sets(), filing_dates)
def test_adding_a_negative_record_never_improves_the_level(recs, r, rules, filed_on):
    r = Record(r.category, r.points, r.occurred_on)  # a live record
    before = level(recs, rules, filed_on)
    after = level({**recs, "new": r}, rules, filed_on)
    assert rank(after) >= rank(before)


@settings(max_examples=400, deadline=None)
@given(record_sets, rule_sets(), filing_dates, st.data())
def test_withdrawing_a_record_never_worsens_the_level(recs, rules, filed_on, data):
    live = [k for k, r in recs.items() if not r.withdrawn]
    if not live:
        return
    key = data.draw(st.sampled_from(live))
    withdrawn = {**recs, key: Record(recs[key].category, recs[key].points,
                                     recs[key].occurred_on, withdrawn=True)}
    assert rank(level(withdrawn, rules, filed_on)) <= rank(level(recs, rules, filed_on))


@settings(max_examples=400, deadline=None)
@given(record_sets, st.sampled_from(["major_fire_hazard", "serious_dishonesty"]),
       st.integers(0, 60), rule_sets(), filing_dates, st.data())
def test_a_major_hazard_or_listing_moves_the_level_down_at_least_one_class(
        recs, category, points, rules, filed_on, data):
    """A demoting record at full weight (the first FULL_WEIGHT_MONTHS) drops ≥ 1 class."""
    start = add_months(TODAY, -rules.full_weight_months)
    on = data.draw(st.dates(start, TODAY))
    earlier = data.draw(st.lists(records(st.sampled_from(["major_fire_hazard",
                                                          "serious_dishonesty"])), max_size=2))
    # R may already hold demoting records at full weight: each one more still drops a class
    recs = {**recs, **{f"d{i}": Record(r.category, r.points, max(r.occurred_on, start))
                       for i, r in enumerate(earlier)}}
    before = level(recs, rules, filed_on)
    after = level({**recs, "hazard": Record(category, points, on)}, rules, filed_on)
    assert rank(after) >= min(rank(before) + 1, rank("D"))


@settings(max_examples=300, deadline=None)
@given(record_sets, rule_sets(), st.data())
def test_a_new_institution_is_never_above_the_neutral_class(recs, rules, data):
    if rules.neutral_months == 0:
        return
    filed_on = data.draw(st.dates(add_months(TODAY, -rules.neutral_months) + timedelta(days=1),
                                  TODAY))
    assert rank(level(recs, rules, filed_on)) >= rank(rules.neutral_level)
    assert rank(level(recs, rules, None)) >= rank(rules.neutral_level)  # never filed: unknown


@settings(max_examples=300, deadline=None)
@given(record_sets, rule_sets(), filing_dates)
def test_the_level_is_one_of_A_B_C_D_and_a_listing_forces_D(recs, rules, filed_on):
    a = assess(recs, TODAY, rules, filed_on)
    assert a.level in LEVELS and 0 <= a.score <= 100
    listed = {**recs, "listing": Record("serious_dishonesty", 0, date(2018, 1, 1))}
    assert level(listed, rules, filed_on) == "D"


def test_levels_are_ordered_A_B_C_D():
    assert LEVELS == ("A", "B", "C", "D")
    assert worst("A", "C", "B") == "C" and worst("D", "A") == "D"
    assert below("A") == "B" and below("C") == "D" and below("D") == "D"
    assert below("A", 2) == "C"


def test_a_major_fire_hazard_no_longer_leaves_a_new_institution_at_b():
    """The observed bug: a major fire hazard left the institution at B."""
    rules = LevelRules(weights=dict(DEFAULT_WEIGHTS))
    hazard = {"h": Record("major_fire_hazard", 20, TODAY)}
    assert level({}, rules, TODAY) == "B"
    a = assess(hazard, TODAY, rules, TODAY)
    assert (a.level, a.determined_by, a.demoted_by) == ("C", "demotion", ("h",))
    old = assess(hazard, TODAY, rules, date(2020, 1, 1))  # long filed: A by score 80 → B, → C
    assert (old.score, old.score_level, old.level) == (80, "B", "C")


def test_a_demoting_record_stops_demoting_after_its_full_weight_months():
    rules = LevelRules(weights=dict(DEFAULT_WEIGHTS))
    last_full = add_months(TODAY, -12)
    assert level({"h": Record("major_fire_hazard", 0, last_full)}, rules, date(2020, 1, 1)) == "B"
    day_after = last_full - timedelta(days=1)
    assert level({"h": Record("major_fire_hazard", 0, day_after)}, rules, date(2020, 1, 1)) == "A"


def test_the_rule_reports_what_set_the_level():
    rules = LevelRules(weights=dict(DEFAULT_WEIGHTS))
    a = assess({"p": Record("penalty.fire_safety", 15, TODAY - timedelta(days=500))},
               TODAY, rules, date(2020, 1, 1))
    (counted,) = a.counted
    assert 0 < counted.fade < 1 and counted.weight == pytest.approx(15 * counted.fade)
    assert a.determined_by == "score" and not a.neutral_applies


def _settings(**extra: str) -> Settings:
    return Settings(service="credit", extra={f"ELDERCARE_CREDIT_{k}": v for k, v in extra.items()})


def test_level_configuration_keys_and_their_checks():
    d = load_rules(_settings()).level
    assert (d.neutral_level, d.neutral_months, d.thresholds) == (
        "B", 12, (("A", 90), ("B", 75), ("C", 60)))
    assert d.demoting_categories == ("major_fire_hazard", "serious_dishonesty")
    assert d.force_d_categories == ("serious_dishonesty",)
    s = load_rules(_settings(NEUTRAL_LEVEL="c", NEUTRAL_MONTHS="6", DEMOTING='["penalty"]',
                              FORCE_D='[]', THRESHOLDS='{"A": 95, "B": 80, "C": 50}')).level
    assert (s.neutral_level, s.neutral_months, s.demoting_categories) == ("C", 6, ("penalty",))
    assert s.force_d_categories == () and s.thresholds[0] == ("A", 95)
    for bad in ({"WEIGHTS": '{"penalty": -1}'}, {"NEUTRAL_LEVEL": "E"},
                {"THRESHOLDS": '{"A": 60, "B": 75, "C": 90}'}, {"DEMOTING": '"x"'},
                {"FULL_WEIGHT_MONTHS": "40"}):
        with pytest.raises(ValueError):
            load_rules(_settings(**bad))
