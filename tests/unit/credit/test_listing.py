"""The serious-dishonesty list: two steps, measures per department, removal, expiry, repair."""

from __future__ import annotations

from datetime import date

import pytest
from credit.app import listings, penalties
from credit.domain.errors import Conflict, Forbidden, InvalidCommand
from credit.domain.events import ResponsiblePerson
from credit.domain.listing import Decide, Propose
from credit.domain.masking import masked_person

from tests.unit.credit.builders import TODAY, china_noon, make_uscc, meta, penalty_cmd

U = make_uscc(3)


def proposal(**over) -> Propose:
    base = {"uscc": U, "institution_name": "重庆幸福养老服务有限公司",
            "ground": "major_fire_hazard_overdue", "ground_detail": "重大火灾隐患逾期未整改",
            "responsible_persons": (ResponsiblePerson.from_data(masked_person(
                "张三丰", "500103199001011234", "s", "法定代表人")),),
            "proposed_by": "fire_rescue", "today": TODAY}
    return Propose(**{**base, **over})


def listed(ctx):
    listings.propose(ctx, meta("fire_rescue"), proposal())
    return listings.decide(ctx, meta(), U, Decide(True, "渝民信〔2026〕1号", "", TODAY))


def test_listing_takes_a_proposal_then_a_decision_both_recorded(ctx):
    p = listings.propose(ctx, meta("fire_rescue"), proposal())
    assert p.events[0].event_name == "SeriousDishonestyProposed"
    assert p.events[0].to_data()["responsible_persons"][0]["name_masked"] == "张**"
    assert "1234" not in str(p.events[0].to_data()["responsible_persons"][0]["id_masked"])
    with pytest.raises(Conflict):
        listings.propose(ctx, meta("fire_rescue"), proposal())
    d = listings.decide(ctx, meta(), U, Decide(True, "渝民信〔2026〕1号", "", TODAY))
    listed_event = d.events[0].to_data()
    assert d.events[0].event_name == "SeriousDishonestyListed"
    assert listed_event["listed_until"] == "2029-11-23"
    assert listed_event["removal_allowed_from"] == "2028-11-23"


def test_listing_issues_one_measure_per_department_and_measure(ctx):
    issued = [e.to_data() for e in listed(ctx).events if e.event_name == "JointMeasureIssued"]
    assert {(m["department"], m["measure_code"]) for m in issued} == {
        (m.department, m.code) for m in ctx.listing_rules.measures}
    assert all(m["due_by"] == "2026-12-07" for m in issued)  # 10 working days


def test_a_rejected_proposal_lists_nothing(ctx):
    listings.propose(ctx, meta("fire_rescue"), proposal())
    h = listings.decide(ctx, meta(), U, Decide(False, "渝民信〔2026〕2号", "证据不足", TODAY))
    assert [e.event_name for e in h.events] == ["SeriousDishonestyProposalRejected"]


def test_only_the_measures_department_reports_it_executed_once(ctx):
    listed(ctx)
    mid = f"{U}-1.finance.no_subsidy"
    with pytest.raises(Forbidden):
        listings.execute_measure(ctx, meta("health"), U, mid, "")
    h = listings.execute_measure(ctx, meta("finance"), U, mid, "已停止补贴")
    assert h.events[0].to_data()["late"] is False
    assert listings.execute_measure(ctx, meta("finance"), U, mid, "again").events == ()


def test_unexecuted_measures_past_the_deadline_are_flagged_once(ctx, clock):
    listed(ctx)
    listings.execute_measure(ctx, meta("finance"), U, f"{U}-1.finance.no_subsidy", "")
    clock.set(china_noon(date(2026, 12, 8)))
    report = listings.check_listings(ctx, meta("system"))
    assert len(report["overdue_measures"]) == len(ctx.listing_rules.measures) - 1
    assert f"{U}-1.finance.no_subsidy" not in report["overdue_measures"]
    assert listings.check_listings(ctx, meta("system"))["overdue_measures"] == []
    late = listings.execute_measure(ctx, meta("civil_affairs"), U, f"{U}-1.civil_affairs."
                                    "no_star_rating", "")
    assert late.events[0].to_data()["late"] is True


def test_removal_on_application_only_after_two_years_and_lifts_measures(ctx, clock):
    listed(ctx)
    clock.set(china_noon(date(2028, 11, 22)))
    with pytest.raises(Conflict, match="2028-11-23 起"):
        listings.remove_on_application(ctx, meta(), U, True, False, "渝民信〔2028〕9号")
    clock.set(china_noon(date(2028, 11, 23)))
    with pytest.raises(InvalidCommand):
        listings.remove_on_application(ctx, meta(), U, False, False, "渝民信〔2028〕9号")
    h = listings.remove_on_application(ctx, meta(), U, True, False, "渝民信〔2028〕9号")
    names = [e.event_name for e in h.events]
    assert names[0] == "SeriousDishonestyDelisted"
    assert names.count("JointMeasureLifted") == len(ctx.listing_rules.measures)
    assert listings.remove_on_application(ctx, meta(), U, True, False,
                                          "渝民信〔2028〕9号").events == ()


def test_listing_expires_at_the_end_of_its_period(ctx, clock):
    listed(ctx)
    clock.set(china_noon(date(2029, 11, 22)))
    assert listings.check_listings(ctx, meta("system"))["expired"] == []
    clock.set(china_noon(date(2029, 11, 23)))
    assert listings.check_listings(ctx, meta("system"))["expired"] == [U]


def test_credit_repair_has_its_own_decision_and_approval_delists(ctx, clock):
    listed(ctx)
    refused = listings.decide_repair(ctx, meta(), U, False, "修复〔2027〕1号", "整改未完成")
    assert [e.event_name for e in refused.events] == ["CreditRepairDecided"]
    clock.set(china_noon(date(2028, 11, 23)))  # art. 11: not before the 2-year minimum
    ok = listings.decide_repair(ctx, meta(), U, True, "修复〔2028〕2号", "已整改")
    assert [e.event_name for e in ok.events][:2] == ["CreditRepairDecided",
                                                     "SeriousDishonestyDelisted"]
    assert ok.events[1].to_data()["reason"] == "credit_repair"


def test_an_auto_proposal_is_made_once_per_source_event_and_not_while_listed(ctx):
    auto = proposal(source_event_id="ev-1", auto=True)
    assert listings.propose(ctx, meta("system"), auto).events
    assert listings.propose(ctx, meta("system"), auto).events == ()
    assert listings.propose(ctx, meta("system"), proposal(source_event_id="ev-2",
                                                          auto=True)).events == ()


def test_early_end_of_a_penalty_is_refused_while_the_party_is_listed(ctx, clock):
    pid = penalties.record_penalty(ctx, meta(), penalty_cmd(U)).events[0].to_data()["penalty_id"]
    penalties.publish_penalty(ctx, meta(), pid)
    listed(ctx)
    clock.set(china_noon(date(2027, 11, 23)))  # past the minimum display period
    with pytest.raises(Conflict, match="not_listed"):
        penalties.end_display_early(ctx, meta(), pid, True, True)
