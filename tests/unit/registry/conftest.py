from __future__ import annotations

from datetime import date

import pytest
from registry.domain.rules import Rules

from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
from shared.clock import FixedClock
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.workdays import WorkCalendar
from tests.unit.registry.builders import china_noon

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(clock: FixedClock) -> InMemoryEventStore:
    return InMemoryEventStore("registry", clock)


@pytest.fixture()
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture()
def rules() -> Rules:
    return Rules()


@pytest.fixture()
def meta() -> CommitMeta:
    return CommitMeta.of(Authority("tester", "civil_affairs", (NATIONAL,), BUSINESS_DUTIES),
                         "cmd-test")
