"""The scheduled check: active enterprises with 养老服务 in scope and no filing, flagged once."""

from __future__ import annotations

from datetime import date

import pytest
from registry.app.check_unfiled import check_unfiled
from registry.app.common import stream_id
from registry.app.file_institution import file_institution
from registry.app.register_enterprise import push_registrations
from registry.domain.model import Rules

from tests.unit.registry.builders import china_noon, details, record

PUSHED_ON = date(2026, 10, 12)
GRACE_ENDS = date(2026, 11, 9)  # 20 working days after 10-12 (no holidays in between)


@pytest.fixture()
def pushed(store, clock, meta):
    def run(*records, on: date = PUSHED_ON):
        clock.set(china_noon(on))
        push_registrations(list(enumerate(records)), store=store, clock=clock, meta=meta)
    return run


@pytest.fixture()
def check(store, clock, calendar, meta):
    def run(on: date, rules: Rules | None = None):
        clock.set(china_noon(on))
        return check_unfiled(store=store, clock=clock, calendar=calendar,
                             rules=rules or Rules(), meta=meta)
    return run


def test_unfiled_elderly_care_enterprise_is_flagged_after_the_grace_period(pushed, check, store):
    pushed(record(1))
    report = check(date(2026, 11, 10))
    [event] = [e for e in store.load(stream_id(record(1).uscc)).events
               if e.name == "UnfiledOperationSuspected"]
    assert report.flagged == [record(1).uscc] and report.checked == 1
    assert event.data["deadline"] == GRACE_ENDS.isoformat()
    assert event.data["received_on"] == PUSHED_ON.isoformat()
    assert (event.data["grace_workdays"], event.data["detected_on"]) == (20, "2026-11-10")


def test_nothing_is_flagged_on_the_last_day_of_grace(pushed, check):
    pushed(record(1))
    assert check(GRACE_ENDS).flagged == []


def test_an_institution_is_flagged_only_once(pushed, check, store):
    pushed(record(1))
    check(date(2026, 11, 10))
    assert check(date(2026, 11, 20)).flagged == []
    assert store.load(stream_id(record(1).uscc)).version == 2


def test_filed_institutions_are_not_flagged(pushed, check, store, clock, calendar, meta):
    pushed(record(1))
    file_institution(record(1).uscc, details(first_admission_date=PUSHED_ON), store=store,
                     clock=clock, calendar=calendar, rules=Rules(), meta=meta)
    assert check(date(2026, 12, 1)).flagged == []


@pytest.mark.parametrize("status", ["revoked", "deregistered", "suspended"])
def test_enterprises_not_active_are_not_flagged(pushed, check, status):
    pushed(record(1, status=status))
    assert check(date(2026, 12, 1)).flagged == []


def test_enterprises_without_elderly_care_scope_are_not_flagged(pushed, check):
    pushed(record(1, business_scope="家政服务"))
    assert check(date(2026, 12, 1)).flagged == []


def test_grace_counts_from_the_push_that_added_elderly_care_scope(pushed, check):
    pushed(record(1, business_scope="家政服务"))
    pushed(record(1), on=date(2026, 11, 2))
    assert check(date(2026, 11, 10)).flagged == []
    assert check(date(2026, 12, 1)).flagged == [record(1).uscc]


def test_the_grace_period_is_configurable(pushed, check):
    pushed(record(1))
    assert check(date(2026, 10, 20), Rules(unfiled_grace_workdays=5)).flagged == [record(1).uscc]
