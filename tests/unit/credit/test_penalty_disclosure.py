"""Disclosure rules of administrative penalties (总局令第45号), with injected time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from credit.app import penalties
from credit.app.common import PENALTY, load, penalty_stream
from credit.domain import penalty
from credit.domain.errors import Conflict
from credit.domain.penalty import Sanction
from credit.domain.rules import PenaltyRules

from tests.unit.credit.builders import TODAY, china_noon, make_uscc, meta, penalty_cmd

U = make_uscc(1)


def state(ctx, pid):
    return load(ctx, PENALTY, penalty_stream(pid))[0]


@pytest.mark.parametrize(("sanctions", "rule", "months"), [
    ((Sanction("warning"),), "none", 0),
    ((Sanction("public_criticism"),), "short", 3),
    ((Sanction("fine", 1_000_000),), "short", 3),
    ((Sanction("warning"), Sanction("fine", 500_000)), "short", 3),
    ((Sanction("fine", 1_000_001),), "standard", 36),
    ((Sanction("public_criticism"), Sanction("confiscation", 100)), "standard", 36),
    ((Sanction("suspension", months=6),), "standard", 36),
    ((Sanction("employment_ban", months=60),), "actual", 60),
])
def test_display_period_follows_the_kind_of_penalty(sanctions, rule, months):
    assert penalty.display_period(sanctions, "500103", PenaltyRules()) == (rule, months)


def test_low_fine_threshold_is_configured_per_province():
    rules = PenaltyRules(low_fine_fen_default=1_000_000, low_fine_fen_by_province={"11": 200_000})
    fine = (Sanction("fine", 500_000),)
    assert penalty.display_period(fine, "500103", rules)[0] == "short"
    assert penalty.display_period(fine, "110105", rules)[0] == "standard"


def test_warning_only_is_recorded_but_never_published(ctx):
    h = penalties.record_penalty(ctx, meta(), penalty_cmd(U, Sanction("warning")))
    assert h.events[0].to_data()["publish_required"] is False
    assert h.events[0].to_data()["publish_due_by"] is None
    with pytest.raises(Conflict):
        penalties.publish_penalty(ctx, meta(), h.events[0].to_data()["penalty_id"])


def test_publication_is_due_within_20_working_days(ctx):
    h = penalties.record_penalty(ctx, meta(), penalty_cmd(U))
    # 2026-11-23 (Mon) + 20 working days = 2026-12-21 (no holidays in between)
    assert h.events[0].to_data()["publish_due_by"] == "2026-12-21"


def test_recording_the_same_decision_twice_stores_nothing_and_a_different_one_conflicts(ctx):
    penalties.record_penalty(ctx, meta(), penalty_cmd(U))
    assert penalties.record_penalty(ctx, meta(), penalty_cmd(U)).events == ()
    with pytest.raises(Conflict):
        penalties.record_penalty(ctx, meta(), penalty_cmd(U, Sanction("fine", 9_000_000)))


def test_overdue_disclosure_is_flagged_once_after_the_due_date(ctx, clock):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(U)).events[0].to_data()["penalty_id"]
    clock.set(china_noon(date(2026, 12, 21)))
    assert penalties.check_overdue_disclosures(ctx, meta("system")) == []
    clock.set(china_noon(date(2026, 12, 22)))
    assert penalties.check_overdue_disclosures(ctx, meta("system")) == [pid]
    assert penalties.check_overdue_disclosures(ctx, meta("system")) == []
    late = penalties.publish_penalty(ctx, meta(), pid).events[0].to_data()
    assert late["late"] is True and late["published_on"] == "2026-12-22"


def test_short_display_ends_three_months_after_publication(ctx, clock):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(
        U, Sanction("fine", 300_000))).events[0].penalty_id
    published = penalties.publish_penalty(ctx, meta(), pid).events[0].to_data()
    assert published["display_until"] == "2027-02-23" and published["late"] is False
    s = state(ctx, pid)
    assert penalty.on_display(s, date(2027, 2, 23))
    assert not penalty.on_display(s, date(2027, 2, 24))


def test_standard_display_lasts_three_years(ctx):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(U)).events[0].to_data()["penalty_id"]
    penalties.publish_penalty(ctx, meta(), pid)
    s = state(ctx, pid)
    assert s.display_until == date(2029, 11, 23)
    assert penalty.on_display(s, date(2029, 11, 23)) and not penalty.on_display(
        s, date(2029, 11, 24))


def test_withdrawal_within_three_working_days_is_on_time_and_later_is_late(ctx, clock):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(
        U, decided_on=TODAY - timedelta(days=7))).events[0].to_data()["penalty_id"]
    penalties.publish_penalty(ctx, meta(), pid)
    revoked = date(2026, 11, 20)  # Friday: + 3 working days = Wednesday 25th
    on_time = penalties.withdraw_penalty(ctx, meta(), pid, "revoked", "复议撤销", revoked)
    data = on_time.events[0].to_data()
    assert data["withdraw_by"] == "2026-11-25" and data["late"] is False
    assert data["was_published"] is True
    assert not penalty.on_display(state(ctx, pid), TODAY)

    other = penalties.record_penalty(ctx, meta(), penalty_cmd(
        U, decision_no="渝中民罚〔2026〕2号", decided_on=date(2026, 11, 2))).events[0]
    clock.set(china_noon(date(2026, 11, 26)))
    late = penalties.withdraw_penalty(ctx, meta(), other.penalty_id, "changed",
                                      "变更为警告", revoked).events[0].to_data()
    assert late["late"] is True


def test_early_end_needs_all_four_conditions(ctx, clock):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(U)).events[0].to_data()["penalty_id"]
    penalties.publish_penalty(ctx, meta(), pid)
    later = date(2027, 11, 23)  # a severe (3-year) display: 1 year minimum
    clock.set(china_noon(later))
    with pytest.raises(Conflict, match="harm_removed"):
        penalties.end_display_early(ctx, meta(), pid, True, False)
    h = penalties.end_display_early(ctx, meta(), pid, True, True)
    assert h.events[0].to_data()["conditions"] == {"obligations_met": True, "harm_removed": True,
                                              "no_repeat": True, "not_listed": True}
    assert not penalty.on_display(h.state, later)


def test_early_end_is_barred_for_heavy_penalties(ctx):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(
        U, Sanction("licence_revocation"))).events[0].penalty_id
    penalties.publish_penalty(ctx, meta(), pid)
    with pytest.raises(Conflict, match="较重处罚"):
        penalties.end_display_early(ctx, meta(), pid, True, True)


def test_fines_need_an_amount_and_restrictions_a_duration(ctx):
    from credit.domain.errors import InvalidCommand

    with pytest.raises(InvalidCommand) as exc:
        penalties.record_penalty(ctx, meta(), penalty_cmd(
            U, Sanction("fine"), Sanction("suspension")))
    assert set(exc.value.errors) == {"sanctions.0.amount_fen", "sanctions.1.months"}
