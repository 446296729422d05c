"""Credit files: a level from the filing on, records keep their source event, weights fade."""

from __future__ import annotations

from datetime import date, timedelta

from credit.app import records
from credit.consumers import registry as registry_source
from credit.consumers.base import apply
from credit.domain.credit_file import AddRecord, NoteFiling, Record, assess, fade
from credit.domain.model import add_months
from credit.domain.rules import LevelRules

from tests.unit.credit.builders import TODAY, china_noon, envelope, make_uscc, meta

U = make_uscc(2)
RULES = LevelRules(weights={"penalty": 15, "serious_dishonesty": 40}, default_weight=10)
LONG_AGO = date(2020, 1, 1)  # filed long before: past the neutral period


def add(uid: str, category: str = "penalty.fire", on: date = TODAY, eid: str | None = None):
    return AddRecord(uscc=U, record_id=uid, source="credit", source_event_id=eid or f"e-{uid}",
                     source_type="PenaltyDecided", category=category, occurred_on=on,
                     summary="")


def stored(ctx, uscc: str = U, name: str = "CreditLevelChanged"):
    """The events of the credit file's stream (every name when ``name`` is empty)."""
    return [e for e in ctx.store.load(f"credit-{uscc}").events if not name or e.name == name]


def filed(on: date, eid: str = "reg-1") -> NoteFiling:
    return NoteFiling(uscc=U, filed_on=on, source_event_id=eid)


def level(recs, today=TODAY, filed_on=LONG_AGO, rules=RULES):
    a = assess(recs, today, rules, filed_on)
    return a.level, a.score


def test_a_record_weighs_fully_for_a_year_then_fades_to_nothing_at_three_years():
    on = date(2026, 1, 10)
    assert fade(on, date(2027, 1, 10), RULES) == 1.0
    assert 0.49 < fade(on, date(2028, 1, 10), RULES) < 0.51
    assert fade(on, date(2029, 1, 10), RULES) == 0.0


def test_levels_follow_the_configured_thresholds():
    recs = {"a": Record("penalty.x", 15, TODAY)}
    assert level({}) == ("A", 100)
    assert level(recs) == ("B", 85)
    recs["b"] = Record("penalty.y", 15, TODAY)
    assert level(recs) == ("C", 70)
    recs["c"] = Record("other", 20, TODAY)
    assert level(recs) == ("D", 50)


def test_score_thresholds_at_the_limit_and_one_past_it():
    for points, expected in ((10, "A"), (11, "B"), (25, "B"), (26, "C"), (40, "C"), (41, "D")):
        assert level({"r": Record("other", points, TODAY)})[0] == expected, points


def test_serious_dishonesty_forces_level_d():
    a = assess({"x": Record("serious_dishonesty", 0, TODAY)}, TODAY, RULES, LONG_AGO)
    assert (a.level, a.determined_by, a.forced_by) == ("D", "force_d", ("x",))


def test_a_filed_institution_has_a_level_from_its_filing_date(ctx):
    """InstitutionFiled → CreditFilingNoted + CreditLevelChanged v2 (neutral class B)."""
    h = records.note_filing(ctx, meta("system"), filed(TODAY))
    assert [e.event_name for e in h.events] == ["CreditFilingNoted", "CreditLevelChanged"]
    changed = h.events[1].to_data()
    assert [e.type for e in stored(ctx)] == ["eldercare.credit.CreditLevelChanged.v2"]
    assert changed["level"] == "B" and changed["reason"] == "institution_filed"
    assert changed["determined_by"] == "neutral_period"
    assert changed["neutral_until"] == add_months(TODAY, 12).isoformat()
    again = records.note_filing(ctx, meta("system"), filed(TODAY))
    assert again.events == ()
    refiled = records.note_filing(ctx, meta("system"), filed(TODAY + timedelta(days=90), "r2"))
    assert refiled.events == ()  # the first filing date counts


def test_spotless_institution_is_never_ranked_below_one_with_a_minor_record(ctx):
    """The observed bug: one minor record gave A while a spotless institution stayed at B."""
    spotless, flawed = make_uscc(31), make_uscc(32)
    for u in (spotless, flawed):
        records.note_filing(ctx, meta("system"), NoteFiling(u, TODAY, f"reg-{u}"))
    minor = AddRecord(uscc=flawed, record_id="m", source="inspection", source_event_id="e-m",
                      source_type="InspectionResultRecorded", category="inspection_problem",
                      occurred_on=TODAY, summary="")
    records.add_record(ctx, meta("system"), minor)
    levels = {u: stored(ctx, u)[-1].data["level"] for u in (spotless, flawed)}
    assert levels[spotless] == "B"
    assert "ABCD".index(levels[flawed]) >= "ABCD".index(levels[spotless])


def test_neutral_period_is_counted_from_the_filing_date_in_the_event_not_processing_time(ctx):
    """A filing learnt late (replay) is judged by its own filed_on: two years on, no cap."""
    h = records.note_filing(ctx, meta("system"), filed(TODAY - timedelta(days=730)))
    assert h.events[1].to_data()["level"] == "A"
    assert h.events[1].to_data()["determined_by"] == "score"


def test_neutral_period_boundary_last_day_capped_first_day_after_not(ctx, clock):
    start = date(2025, 11, 24)
    end = add_months(start, 12)  # 2026-11-24: the first day outside
    assert level({}, today=end - timedelta(days=1), filed_on=start)[0] == "B"
    assert level({}, today=end, filed_on=start)[0] == "A"


def test_the_scheduler_raises_the_level_when_the_neutral_period_ends(ctx, clock):
    records.note_filing(ctx, meta("system"), filed(TODAY))
    clock.set(china_noon(add_months(TODAY, 12) - timedelta(days=1)))
    assert records.reassess_levels(ctx, meta("system")) == []
    clock.set(china_noon(add_months(TODAY, 12)))
    assert records.reassess_levels(ctx, meta("system")) == [U]
    last = stored(ctx)[-1]
    assert (last.data["level"], last.data["reason"]) == ("A", "neutral_period_ended")
    assert records.reassess_levels(ctx, meta("system")) == []


def test_registry_filing_event_reaches_the_credit_file_through_the_consumer(ctx):
    env = envelope("registry", "InstitutionFiled", {"uscc": U, "filed_on": "2026-11-20"},
                   subject=f"institution-{U}")
    apply(ctx, registry_source.map_event(env), env)
    apply(ctx, registry_source.map_event(env), env)  # redelivered: nothing more
    names = [e.name for e in stored(ctx, name="")]
    assert names == ["CreditFilingNoted", "CreditLevelChanged"]


def test_first_record_publishes_a_level_and_a_redelivered_event_changes_nothing(ctx):
    first = records.add_record(ctx, meta("system"), add("r1"))
    names = [e.event_name for e in first.events]
    assert names == ["CreditRecordAdded", "CreditLevelChanged"]
    level_data = first.events[1].to_data()
    assert level_data["institution_uscc"] == U and level_data["level"] == "B"
    assert level_data["previous_level"] is None and level_data["score"] == 85
    again = records.add_record(ctx, meta("system"), add("r1"))
    assert again.events == () and again.version == first.version
    same_event = records.add_record(ctx, meta("system"), add("r-other", eid="e-r1"))
    assert same_event.events == ()


def test_withdrawing_a_record_restores_the_level(ctx):
    records.note_filing(ctx, meta("system"), filed(LONG_AGO))
    records.add_record(ctx, meta("system"), add("r1"))
    h = records.withdraw_record(ctx, meta("system"), U, "r1", "撤销")
    assert [e.event_name for e in h.events] == ["CreditRecordWithdrawn", "CreditLevelChanged"]
    assert h.events[1].to_data()["level"] == "A" and h.events[1].to_data()["previous_level"] == "B"
    assert records.withdraw_record(ctx, meta("system"), U, "r1", "撤销").events == ()


def test_scheduled_reassessment_publishes_levels_raised_by_fading_records(ctx, clock):
    records.note_filing(ctx, meta("system"), filed(LONG_AGO))
    records.add_record(ctx, meta("system"), add("r1", on=TODAY))
    records.add_record(ctx, meta("system"), add("r2", on=TODAY))  # C (70)
    clock.set(china_noon(date(2027, 11, 23)))
    assert records.reassess_levels(ctx, meta("system")) == []
    clock.set(china_noon(date(2029, 1, 1)))  # each weighs 15 × 0.45: 87 → B
    assert records.reassess_levels(ctx, meta("system")) == [U]
    assert stored(ctx)[-1].data["level"] == "B"
    clock.set(china_noon(date(2029, 11, 23)))  # faded out
    assert records.reassess_levels(ctx, meta("system")) == [U]
    last = stored(ctx)[-1]
    assert (last.data["level"], last.data["reason"]) == ("A", "decay")
    assert records.reassess_levels(ctx, meta("system")) == []
