"""Credit files: records keep their source event, levels follow weights and fade with time."""

from __future__ import annotations

from datetime import date

from credit.app import records
from credit.domain.credit_file import AddRecord, Record, assess, fade
from credit.domain.model import LevelRules

from tests.unit.credit.builders import TODAY, china_noon, make_uscc, meta

U = make_uscc(2)
RULES = LevelRules(weights={"penalty": 15, "serious_dishonesty": 40}, default_weight=10)


def add(uid: str, category: str = "penalty.fire", on: date = TODAY, eid: str | None = None):
    return AddRecord(uscc=U, record_id=uid, source="credit", source_event_id=eid or f"e-{uid}",
                     source_type="PenaltyDecided", category=category, occurred_on=on,
                     summary="")


def test_a_record_weighs_fully_for_a_year_then_fades_to_nothing_at_three_years():
    on = date(2026, 1, 10)
    assert fade(on, date(2027, 1, 10), RULES) == 1.0
    assert 0.49 < fade(on, date(2028, 1, 10), RULES) < 0.51
    assert fade(on, date(2029, 1, 10), RULES) == 0.0


def test_levels_follow_the_configured_thresholds():
    recs = {"a": Record("penalty.x", 15, TODAY)}
    assert assess({}, TODAY, RULES) == ("A", 100)
    assert assess(recs, TODAY, RULES) == ("B", 85)
    recs["b"] = Record("penalty.y", 15, TODAY)
    assert assess(recs, TODAY, RULES) == ("C", 70)
    recs["c"] = Record("other", 20, TODAY)
    assert assess(recs, TODAY, RULES) == ("D", 50)


def test_serious_dishonesty_forces_level_d():
    assert assess({"x": Record("serious_dishonesty", 0, TODAY)}, TODAY, RULES)[0] == "D"


def test_first_record_publishes_a_level_and_a_redelivered_event_changes_nothing(ctx):
    first = records.add_record(ctx, meta("system"), add("r1"))
    names = [e.name for e in first.events]
    assert names == ["CreditRecordAdded", "CreditLevelChanged"]
    level = first.events[1].data
    assert level["institution_uscc"] == U and level["level"] == "B"
    assert level["previous_level"] is None and level["score"] == 85
    again = records.add_record(ctx, meta("system"), add("r1"))
    assert again.events == () and again.version == first.version
    same_event = records.add_record(ctx, meta("system"), add("r-other", eid="e-r1"))
    assert same_event.events == ()


def test_withdrawing_a_record_restores_the_level(ctx):
    records.add_record(ctx, meta("system"), add("r1"))
    h = records.withdraw_record(ctx, meta("system"), U, "r1", "撤销")
    assert [e.name for e in h.events] == ["CreditRecordWithdrawn", "CreditLevelChanged"]
    assert h.events[1].data["level"] == "A" and h.events[1].data["previous_level"] == "B"
    assert records.withdraw_record(ctx, meta("system"), U, "r1", "撤销").events == ()


def test_scheduled_reassessment_publishes_levels_raised_by_fading_records(ctx, clock):
    records.add_record(ctx, meta("system"), add("r1", on=TODAY))
    clock.set(china_noon(date(2027, 11, 23)))
    assert records.reassess_levels(ctx, meta("system")) == []
    clock.set(china_noon(date(2029, 1, 1)))
    assert records.reassess_levels(ctx, meta("system")) == [U]
    assert records.reassess_levels(ctx, meta("system")) == []
