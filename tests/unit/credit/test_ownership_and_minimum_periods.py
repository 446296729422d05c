"""Issue 9, items 2 and 3: who may act on a penalty (谁办案、谁录入、谁负责, 总局令第45号
art. 16) and the minimum periods before a listing or a disclosure may end early (管理办法
art. 11; NDRC 信用修复管理办法 2026)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from credit.app import listings, penalties
from credit.app.common import PENALTY, load, penalty_stream
from credit.consumers import credit as credit_source
from credit.consumers.base import WithdrawRecord
from credit.domain import penalty
from credit.domain.errors import Conflict, Forbidden, InvalidCommand
from credit.domain.listing import Decide
from credit.domain.model import add_months
from credit.domain.penalty import DEPARTMENTS, Actor, Sanction
from credit.domain.rules import DEFAULT_MEASURES, ListingRules, PenaltyRules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.clock import FixedClock
from shared.domain import within_region
from shared.eventstore import NewEvent
from tests.unit.credit.builders import (
    TODAY,
    china_noon,
    context,
    envelope,
    make_uscc,
    meta,
    penalty_cmd,
)
from tests.unit.credit.test_listing import proposal

U = make_uscc(41)
OWNER = "civil_affairs"  # penalty_cmd's authority is 重庆市渝中区民政局, district 500103
OTHERS = [d for d in (*DEPARTMENTS, "admin") if d != OWNER]
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def fresh(**rules):
    clock = FixedClock(china_noon(TODAY))
    return context(clock, **rules), clock


def recorded(ctx, dept: str = OWNER, region: str = "", **kw) -> str:
    h = penalties.record_penalty(ctx, meta(dept), penalty_cmd(U, **kw), region)
    return h.events[0].to_data()["penalty_id"]


# --- item 2: ownership -------------------------------------------------------------------

def test_the_deciding_department_is_recorded_from_the_caller_not_the_body(ctx):
    h = penalties.record_penalty(ctx, meta("fire_rescue"), penalty_cmd(U))
    assert h.events[0].to_data()["department"] == "fire_rescue"
    assert h.state.department == "fire_rescue"
    stored = ctx.store.load(penalty_stream(h.events[0].to_data()["penalty_id"])).events[0]
    assert stored.type == "eldercare.credit.PenaltyDecided.v2"


@pytest.mark.parametrize("other", OTHERS)
def test_only_deciding_department_may_publish_withdraw_or_end_early(other):
    ctx, clock = fresh()
    pid = recorded(ctx)
    for act in (lambda d: penalties.publish_penalty(ctx, meta(d), pid),
                lambda d: penalties.withdraw_penalty(ctx, meta(d), pid, "revoked", "复议撤销",
                                                     TODAY),
                lambda d: penalties.end_display_early(ctx, meta(d), pid, True, True)):
        with pytest.raises(Forbidden):
            act(other)
    assert penalties.publish_penalty(ctx, meta(OWNER), pid).events  # the owner may
    with pytest.raises(Forbidden):  # and once published, still nobody else
        penalties.publish_penalty(ctx, meta(other), pid)
    clock.set(china_noon(add_months(TODAY, 12)))
    with pytest.raises(Forbidden):
        penalties.end_display_early(ctx, meta(other), pid, True, True)
    assert penalties.end_display_early(ctx, meta(OWNER), pid, True, True).events


@FUZZ
@given(owner=st.sampled_from(DEPARTMENTS), actor=st.sampled_from((*DEPARTMENTS, "admin")))
def test_only_the_owner_ever_acts_on_a_penalty(owner, actor):
    """Invariant: for every pair of departments, an act succeeds iff actor == owner."""
    ctx, _ = fresh()
    pid = recorded(ctx, owner)
    try:
        penalties.publish_penalty(ctx, meta(actor), pid)
        allowed = True
    except Forbidden:
        allowed = False
    assert allowed is (actor == owner)


def test_the_admin_role_records_no_penalty(ctx):
    with pytest.raises(Forbidden):
        recorded(ctx, "admin")


@pytest.mark.parametrize(("region", "covered"), [
    ("500103", True), ("5001", True), ("500100", True), ("50", True), ("500000", True),
    ("500104", False), ("5002", False), ("500200", False), ("51", False), ("510000", False),
])
def test_a_caller_acts_only_within_the_decisions_district(region, covered):
    ctx, _ = fresh()
    if covered:
        pid = recorded(ctx, region=region)
        assert penalties.publish_penalty(ctx, meta(OWNER), pid, region).events
    else:
        with pytest.raises(Forbidden):
            recorded(ctx, region=region)
        pid = recorded(ctx)  # recorded by an unscoped token of the same department
        with pytest.raises(Forbidden):
            penalties.publish_penalty(ctx, meta(OWNER), pid, region)
        with pytest.raises(Forbidden):
            penalties.withdraw_penalty(ctx, meta(OWNER), pid, "revoked", "撤销", TODAY, region)


def test_tokens_without_a_region_keep_working(ctx):
    pid = recorded(ctx, region="")
    assert penalties.publish_penalty(ctx, meta(OWNER), pid, "").events


DIGITS = st.text("0123456789", min_size=6, max_size=6)


@given(code=DIGITS, other=DIGITS, cut=st.sampled_from((2, 4, 6)))
def test_region_is_a_prefix_of_division_codes(code, other, cut):
    """Invariant: a 2/4/6-digit region covers exactly the codes starting with it."""
    region = code[:cut]
    assert within_region(region, code)
    if not (cut == 6 and region.endswith("00")):  # 500100 stands for 5001: checked below
        assert within_region(region, other) is other.startswith(region)
    if cut < 6 and region.strip("0") and code[cut:] != "0" * (6 - cut):
        # the full-length code of a province or city stands for its prefix
        assert within_region(region.ljust(6, "0"), code)


def v1_data(ctx, dept: str = OWNER, authority: str = "重庆市渝中区民政局") -> dict:
    """PenaltyDecided as v1 stored it: no department field."""
    data = dict(penalties.record_penalty(ctx, meta(dept), penalty_cmd(
        U, decision_no="旧1号")).events[0].to_data())
    del data["department"]
    return {**data, "authority": authority, "penalty_id": "pnold"}


@pytest.mark.parametrize(("authority", "owner"), [
    ("重庆市渝中区民政局", "civil_affairs"), ("重庆市南岸区消防救援支队", "fire_rescue"),
    ("重庆市渝中区市场监督管理局", "market_supervision"), ("某区卫生健康委员会", "health"),
    ("某区应急管理局", "emergency"), ("某市公安局", "public_security"), ("某区财政局", "finance"),
])
def test_v1_penalties_replay_with_the_department_named_by_their_authority(authority, owner):
    ctx, _ = fresh()
    data = v1_data(ctx, authority=authority)
    ctx.store.append(penalty_stream("pnold"), 0, [NewEvent("PenaltyDecided", data, 1)],
                     meta(owner))
    state, _ = load(ctx, PENALTY, penalty_stream("pnold"))
    assert state.department == owner
    other = "finance" if owner != "finance" else "health"
    with pytest.raises(Forbidden):
        penalties.publish_penalty(ctx, meta(other), "pnold")
    assert penalties.publish_penalty(ctx, meta(owner), "pnold").events


def test_a_v1_penalty_whose_authority_names_no_department_has_no_owner():
    ctx, _ = fresh()
    data = v1_data(ctx, authority="某某委员会")
    ctx.store.append(penalty_stream("pnold"), 0, [NewEvent("PenaltyDecided", data, 1)],
                     meta())
    assert load(ctx, PENALTY, penalty_stream("pnold"))[0].department is None
    for dept in (*DEPARTMENTS, "admin"):
        with pytest.raises(Forbidden, match="未载明"):
            penalties.publish_penalty(ctx, meta(dept), "pnold")


# --- item 3: minimum periods --------------------------------------------------------------

def listed(ctx):
    listings.propose(ctx, meta("fire_rescue"), proposal(uscc=U))
    return listings.decide(ctx, meta(), U, Decide(True, "渝民信〔2026〕1号", "", TODAY))


def test_credit_repair_cannot_delist_before_the_minimum_period(ctx, clock):
    listed(ctx)
    clock.set(china_noon(date(2028, 11, 22)))  # one day short of 2 years
    with pytest.raises(Conflict, match="2028-11-23 起"):
        listings.decide_repair(ctx, meta(), U, True, "修复〔2028〕1号", "已整改")
    assert listings.decide_repair(ctx, meta(), U, False, "修复〔2028〕2号", "未满期限").events
    clock.set(china_noon(date(2028, 11, 23)))  # exactly 2 years
    h = listings.decide_repair(ctx, meta(), U, True, "修复〔2028〕3号", "已整改")
    assert [e.event_name for e in h.events][:2] == ["CreditRepairDecided",
                                                    "SeriousDishonestyDelisted"]


@FUZZ
@given(days=st.integers(0, 2 * 366 + 5), years=st.integers(1, 3))
def test_no_listing_leaves_the_list_by_decision_before_its_minimum_period(days, years):
    """Invariant: repair approval or removal succeeds iff today >= listing + N years."""
    ctx, clock = fresh(listing_rules=ListingRules(removal_after_years=years,
                                                  measures=DEFAULT_MEASURES))
    listed(ctx)
    today = TODAY + timedelta(days=days)
    clock.set(china_noon(today))
    allowed = today >= add_months(TODAY, 12 * years)
    for act in (lambda: listings.decide_repair(ctx, meta(), U, True, "修复1号", "已整改"),
                lambda: listings.remove_on_application(ctx, meta(), U, True, True, "移1号")):
        try:
            act()
            ok = True
        except Conflict:
            ok = False
        assert ok is allowed
        if ok:
            break


def test_a_wrong_listing_is_corrected_not_removed(ctx, clock):
    listed(ctx)
    clock.set(china_noon(TODAY + timedelta(days=1)))  # long before the minimum period
    h = listings.correct_listing(ctx, meta(), U, "渝民更〔2026〕1号", "认定事实有误")
    names = [e.event_name for e in h.events]
    assert names[0] == "ListingCorrected" and "SeriousDishonestyDelisted" not in names
    assert names.count("JointMeasureLifted") == len(ctx.listing_rules.measures)
    assert h.state.current.status == "corrected"
    data = h.events[0].to_data()
    assert data["reason"] == "认定事实有误" and data["was_listed"] is True
    again = listings.correct_listing(ctx, meta(), U, "渝民更〔2026〕1号", "认定事实有误")
    assert again.events == ()  # a retried correction
    with pytest.raises(Conflict):
        listings.correct_listing(ctx, meta(), U, "渝民更〔2026〕2号", "再次")
    with pytest.raises(Conflict):  # nothing left to remove or repair
        listings.decide_repair(ctx, meta(), U, True, "修复1号", "x")
    effects = credit_source.map_event(envelope("credit", "ListingCorrected", data))
    assert effects == [WithdrawRecord(U, f"listing:{U}-1", "列入有误，已更正（渝民更〔2026〕1号）")]


def test_only_the_listing_department_may_correct_a_listing_and_with_a_reason(ctx):
    listed(ctx)
    for dept in ("fire_rescue", "finance", "admin"):
        with pytest.raises(Forbidden):
            listings.correct_listing(ctx, meta(dept), U, "更1号", "有误")
    with pytest.raises(InvalidCommand) as exc:
        listings.correct_listing(ctx, meta(), U, "更1号", "  ")
    assert set(exc.value.errors) == {"reason"}


def test_a_proposal_is_rejected_not_corrected(ctx):
    listings.propose(ctx, meta("fire_rescue"), proposal(uscc=U))
    with pytest.raises(Conflict):
        listings.correct_listing(ctx, meta(), U, "更1号", "有误")


def recorded_with(ctx, *sanctions):
    return penalties.record_penalty(ctx, meta(), penalty_cmd(U, *sanctions)).events[0].to_data()[
        "penalty_id"]


@pytest.mark.parametrize(("sanction", "months"), [
    (Sanction("fine", 5_000_000), 12),     # standard display: severe, 1 year
    (Sanction("fine", 300_000), 3),        # low fine: ordinary, 3 months
    (Sanction("public_criticism"), 3),
])
def test_early_end_of_a_disclosure_respects_the_minimum_display_period(sanction, months):
    ctx, clock = fresh()
    pid = recorded_with(ctx, sanction)
    penalties.publish_penalty(ctx, meta(), pid)
    earliest = add_months(TODAY, months)
    clock.set(china_noon(earliest - timedelta(days=1)))
    with pytest.raises(Conflict, match=f"{earliest.isoformat()} 起"):
        penalties.end_display_early(ctx, meta(), pid, True, True)
    clock.set(china_noon(earliest))
    assert penalties.end_display_early(ctx, meta(), pid, True, True).events


@FUZZ
@given(ordinary=st.integers(0, 12), severe=st.integers(0, 36), low=st.booleans(),
       days=st.integers(0, 3 * 366))
def test_early_end_is_allowed_exactly_from_publication_plus_the_configured_minimum(
        ordinary, severe, low, days):
    """Invariant (configurable per severity): allowed iff today >= published + minimum."""
    ctx, clock = fresh(penalty_rules=PenaltyRules(early_end_min_months_ordinary=ordinary,
                                                  early_end_min_months_severe=severe))
    pid = recorded_with(ctx, Sanction("fine", 300_000 if low else 5_000_000))
    penalties.publish_penalty(ctx, meta(), pid)
    state, _ = load(ctx, PENALTY, penalty_stream(pid))
    today = TODAY + timedelta(days=days)
    clock.set(china_noon(today))
    minimum = ordinary if low else severe
    on_show = penalty.on_display(state, today)
    try:
        penalties.end_display_early(ctx, meta(), pid, True, True)
        ok = True
    except Conflict:
        ok = False
    assert ok is (on_show and today >= add_months(TODAY, minimum))


def test_actor_covers_is_a_prefix_check_and_unscoped_covers_all():
    assert Actor("civil_affairs").covers("110105")
    assert Actor("civil_affairs", "500100").covers("500103")
    assert not Actor("civil_affairs", "500100").covers("500203")
