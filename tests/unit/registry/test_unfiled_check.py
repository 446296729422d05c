"""The scheduled check: active enterprises with 养老服务 in scope and no valid filing.

Invariants: an enterprise that is active (存续) with 养老服务 in its scope and has no valid
filing (never filed, or its filing was cancelled) is flagged once the grace period after
the start of that unfiled episode has passed; it is flagged once per episode, however often
the check runs; the episode (and the flag) ends when it files, stops being active or drops
养老服务 from its scope, and a later episode is flagged again.
"""

from __future__ import annotations

from datetime import date

import pytest
from registry.app.cancel_filing import cancel_filing
from registry.app.check_unfiled import check_unfiled
from registry.app.common import stream_id
from registry.app.file_institution import file_institution
from registry.app.queries import get_institution
from registry.app.register_enterprise import push_registrations
from registry.domain.rules import Rules

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
    """The limit: on the deadline itself nothing is flagged (one past it: see above)."""
    pushed(record(1))
    assert check(GRACE_ENDS).flagged == []


def test_an_institution_is_flagged_only_once(pushed, check, store):
    pushed(record(1))
    check(date(2026, 11, 10))
    assert check(date(2026, 11, 20)).flagged == []
    assert store.load(stream_id(record(1).uscc)).version == 2


@pytest.fixture()
def filed(store, clock, calendar, meta):
    def run(on: date, n: int = 1):
        clock.set(china_noon(on))
        file_institution(record(n).uscc, details(first_admission_date=PUSHED_ON), store=store,
                         clock=clock, calendar=calendar, rules=Rules(), meta=meta)
    return run


@pytest.fixture()
def cancelled(store, clock, meta):
    def run(on: date, n: int = 1):
        clock.set(china_noon(on))
        cancel_filing(record(n).uscc, "停止经营", store=store, clock=clock, meta=meta)
    return run


def suspicions(store, n: int = 1) -> list:
    return [e for e in store.load(stream_id(record(n).uscc)).events
            if e.name == "UnfiledOperationSuspected"]


def test_filed_institutions_are_not_flagged(pushed, check, filed):
    pushed(record(1))
    filed(PUSHED_ON)
    assert check(date(2026, 12, 1)).flagged == []


CANCELLED_ON = date(2026, 11, 2)
CANCEL_GRACE_ENDS = date(2026, 11, 30)  # 20 working days after 11-02


def test_a_cancelled_filing_of_an_active_elderly_care_enterprise_is_checked_again(
        pushed, check, filed, cancelled, store):
    pushed(record(1))
    filed(PUSHED_ON)
    cancelled(CANCELLED_ON)
    assert check(CANCEL_GRACE_ENDS).flagged == []  # the limit: still within grace
    assert check(date(2026, 12, 1)).flagged == [record(1).uscc]  # one past it
    [event] = suspicions(store)
    assert (event.data["basis"], event.data["since"]) == ("filing_cancelled", "2026-11-02")
    assert event.data["deadline"] == CANCEL_GRACE_ENDS.isoformat()


def test_unfiled_operation_is_flagged_once_per_episode_not_on_every_tick(pushed, check, store):
    pushed(record(1))
    day = date(2026, 11, 10)
    for _ in range(30):
        check(day)
        day = day.fromordinal(day.toordinal() + 1)
    assert len(suspicions(store)) == 1


def test_refiling_ends_the_episode_and_a_later_cancellation_starts_a_new_one(
        pushed, check, filed, cancelled, store):
    pushed(record(1))
    assert check(date(2026, 11, 10)).flagged == [record(1).uscc]  # never filed
    filed(date(2026, 11, 11))
    state, _ = get_institution(record(1).uscc, store=store)
    assert state.unfiled_flagged_on is None
    cancelled(date(2026, 11, 12))
    assert check(date(2026, 12, 11)).flagged == [record(1).uscc]  # 12-10 ends its grace
    assert [e.data["basis"] for e in suspicions(store)] == ["never_filed", "filing_cancelled"]


@pytest.mark.parametrize("change", [{"status": "deregistered"}, {"status": "suspended"},
                                    {"business_scope": "家政服务"}])
def test_deregistration_or_scope_change_ends_the_episode(pushed, check, store, change):
    pushed(record(1))
    check(date(2026, 11, 10))
    pushed(record(1, **change), on=date(2026, 11, 11))
    state, _ = get_institution(record(1).uscc, store=store)
    assert state.unfiled_flagged_on is None
    assert check(date(2026, 12, 31)).flagged == []
    pushed(record(1), on=date(2027, 1, 4))  # active with 养老服务 again: a new episode
    assert check(date(2027, 2, 1)).flagged == []  # 2027-02-01 is the 20th working day
    assert check(date(2027, 2, 2)).flagged == [record(1).uscc]
    assert [e.data["since"] for e in suspicions(store)] == ["2026-10-12", "2027-01-04"]


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
