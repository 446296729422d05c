"""Authority.overlaps: a region-level record (an official serving a county, city, province or
the whole country) is visible to an account whose regions and the record's overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.authority import NATIONAL, Authority
from shared.domain import region_prefix

COUNTIES = ("500103", "500108", "500112", "510104", "110101")
REGIONS = (*COUNTIES, "5001", "5101", "50", "51", "11", NATIONAL)


def prefixes(region: str) -> str:
    return "" if region == NATIONAL else region_prefix(region)


@given(account=st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3),
       record=st.sampled_from(REGIONS))
def test_overlap_is_prefix_either_way(account, record):
    a = Authority("x", "civil_affairs", tuple(account))
    expected = any(prefixes(record).startswith(prefixes(r)) or
                   prefixes(r).startswith(prefixes(record)) for r in account)
    assert a.overlaps(record) == expected


@given(account=st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3),
       county=st.sampled_from(COUNTIES))
def test_a_county_record_is_visible_exactly_where_the_county_is_covered(account, county):
    a = Authority("x", "civil_affairs", tuple(account))
    assert a.overlaps(county) == a.covers(county)


def test_no_regions_see_nothing_and_bad_codes_are_never_visible():
    assert not Authority("x", "civil_affairs", ()).overlaps("500103")
    assert not Authority("x", "civil_affairs", (NATIONAL,)).overlaps("5x")
    assert not Authority("x", "civil_affairs", ()).overlaps(NATIONAL)
