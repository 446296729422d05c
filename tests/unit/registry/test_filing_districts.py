"""Who may file where: the district filed and the district stored must both be the caller's."""

from __future__ import annotations

import itertools

import pytest
from registry.app.file_institution import file_institution

from shared.authority import BUSINESS_DUTIES, Authority, Forbidden
from shared.eventstore import CommitMeta
from tests.unit.registry.builders import details, make_uscc

DISTRICTS = ("500103", "500104", "500105")


@pytest.mark.parametrize("stored,filed,region",
                         list(itertools.product(DISTRICTS[:2], DISTRICTS[1:], DISTRICTS)))
def test_a_filing_is_refused_unless_both_districts_are_the_callers(store, clock, calendar,
                                                                    rules, meta, stored, filed,
                                                                    region):
    uscc = make_uscc(7)
    file_institution(uscc, details(district_code=stored), store=store, clock=clock,
                     calendar=calendar, rules=rules, meta=meta)  # a national official first
    local = CommitMeta.of(Authority("clerk", "civil_affairs", (region,), BUSINESS_DUTIES),
                          "cmd-local")
    before = store.load(f"institution-{uscc}").version
    if region == stored == filed:
        file_institution(uscc, details(district_code=filed), store=store, clock=clock,
                         calendar=calendar, rules=rules, meta=local)  # identical: nothing new
    else:
        with pytest.raises(Forbidden):
            file_institution(uscc, details(district_code=filed), store=store, clock=clock,
                             calendar=calendar, rules=rules, meta=local)
    assert store.load(f"institution-{uscc}").version == before  # nothing stored when refused


@pytest.mark.parametrize("filed,region", list(itertools.product(DISTRICTS, DISTRICTS)))
def test_a_first_filing_needs_the_filed_district(store, clock, calendar, rules, filed, region):
    uscc = make_uscc(8)
    local = CommitMeta.of(Authority("clerk", "civil_affairs", (region,), BUSINESS_DUTIES),
                          "cmd-local")
    if filed == region:
        assert file_institution(uscc, details(district_code=filed), store=store, clock=clock,
                                calendar=calendar, rules=rules, meta=local).version == 1
    else:
        with pytest.raises(Forbidden):
            file_institution(uscc, details(district_code=filed), store=store, clock=clock,
                             calendar=calendar, rules=rules, meta=local)
