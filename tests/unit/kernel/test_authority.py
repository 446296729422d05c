"""Scope rules (shared/authority.py) as invariants over random accounts and districts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.authority import (
    BUSINESS_DUTIES,
    DEPARTMENTS,
    DUTIES,
    NATIONAL,
    Authority,
    Forbidden,
    Scope,
    check,
)
from shared.eventstore import CommitMeta

digits = st.text("0123456789", min_size=6, max_size=6)
regions = st.one_of(digits.map(lambda d: d[:2]), digits.map(lambda d: d[:4]), digits,
                    st.just(NATIONAL))
authorities = st.builds(Authority, sub=st.just("u"), department=st.sampled_from(DEPARTMENTS),
                        regions=st.lists(regions, max_size=3).map(tuple),
                        duties=st.lists(st.sampled_from(DUTIES), max_size=3, unique=True
                                        ).map(tuple))


@given(authorities, digits)
def test_covering_means_some_region_is_a_prefix_or_national(a, district):
    expected = any(r == NATIONAL or district.startswith(r.rstrip("0")[:len(r)] if len(r) < 6
                                                          else r) for r in a.regions)
    # full-length province/city codes ('500000', '500100') stand for their prefix
    expected = any(r == NATIONAL or district.startswith(_prefix(r)) for r in a.regions)
    assert a.covers(district) == expected


def _prefix(r: str) -> str:
    if len(r) == 6 and r.endswith("0000"):
        return r[:2]
    if len(r) == 6 and r.endswith("00"):
        return r[:4]
    return r


@given(authorities, digits)
def test_the_region_acted_for_is_the_most_specific_covering_one(a, district):
    region = a.region_for(district)
    if region is None:
        assert not a.covers(district)
        return
    assert region in a.regions and a.covers(district)
    specific = [r for r in a.regions if r != NATIONAL and district.startswith(_prefix(r))]
    if specific:
        assert len(_prefix(region)) == max(len(_prefix(r)) for r in specific)


@given(authorities, digits, st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=3),
       st.lists(st.sampled_from(DUTIES), min_size=1, max_size=2))
def test_check_passes_exactly_when_department_duty_and_region_all_reach(a, district, depts,
                                                                      duties):
    scope = Scope(tuple(depts), district, tuple(duties))
    allowed = (a.department in depts and any(d in a.duties for d in duties)
               and a.covers(district))
    try:
        region = check(a, scope)
    except Forbidden:
        assert not allowed
    else:
        assert allowed and region == a.region_for(district)


@given(authorities, digits)
def test_an_account_administrator_reaches_no_business_duty(a, district):
    admin = Authority(a.sub, a.department, a.regions, ("account_admin",))
    with pytest.raises(Forbidden):
        check(admin, Scope(None, district, BUSINESS_DUTIES))


def test_an_account_without_regions_covers_nothing():
    assert not Authority("u", "civil_affairs", (), ("clerk",)).covers("500103")


def test_national_scope_is_needed_for_national_rules():
    provincial = Authority("u", "civil_affairs", ("50",), ("leader",))
    with pytest.raises(Forbidden, match="全国"):
        check(provincial, Scope(("civil_affairs",), None, ("leader",), national=True))
    national = Authority("u", "civil_affairs", (NATIONAL,), ("leader",))
    assert check(national, Scope(("civil_affairs",), None, ("leader",), national=True)) == NATIONAL


def test_commit_meta_records_the_region_acted_for_and_refuses_unverified_callers():
    a = Authority("u-7", "civil_affairs", ("5001", "500103"), ("clerk",))
    meta = CommitMeta.of(a, "c1").authorized(Scope(("civil_affairs",), "500103"))
    assert (meta.actor, meta.actor_dept, meta.actor_region) == ("u-7", "civil_affairs", "500103")
    with pytest.raises(Forbidden):
        CommitMeta(command_id="c2", actor_dept="civil_affairs").authorized(Scope())
    assert CommitMeta.system("c3").authorized(Scope(district="110101")).actor_dept == "system"
