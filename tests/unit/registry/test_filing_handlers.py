"""Filing, change and cancellation through the handlers on the in-memory event store."""

from __future__ import annotations

from datetime import date

import pytest
from registry.app.cancel_filing import cancel_filing
from registry.app.change_filing import change_filing
from registry.app.common import stream_id
from registry.app.file_institution import file_institution
from registry.domain.errors import (
    AlreadyCancelled,
    AlreadyFiled,
    FilingCancelled,
    InvalidCommand,
    NotFiled,
)

from shared.eventstore import ConcurrencyConflict
from tests.unit.registry.builders import details, make_uscc

USCC = make_uscc(7)


@pytest.fixture()
def file(store, clock, calendar, rules, meta):
    def run(uscc: str = USCC, **changes):
        return file_institution(uscc, details(**changes), store=store, clock=clock,
                                calendar=calendar, rules=rules, meta=meta)
    return run


@pytest.fixture()
def change(store, clock, meta):
    def run(changes: dict, expected_version: int | None = None, uscc: str = USCC):
        return change_filing(uscc, changes, store=store, clock=clock, meta=meta,
                             expected_version=expected_version)
    return run


@pytest.fixture()
def cancel(store, clock, meta):
    def run(reason: str = "停止经营", uscc: str = USCC):
        return cancel_filing(uscc, reason, store=store, clock=clock, meta=meta)
    return run


def names(store, uscc: str = USCC) -> list[str]:
    return [e.name for e in store.load(stream_id(uscc)).events]


def test_first_filing_of_a_never_pushed_uscc_issues_a_receipt(file, store):
    handled = file()
    filing = handled.state.filing
    assert names(store) == ["InstitutionFiled"]
    assert filing.receipt_no == f"500103-2026-备-{USCC[8:17]}"
    assert filing.filed_on == date(2026, 11, 23)
    assert (filing.filing_required, filing.late) == (True, False)  # admitted 11-16
    assert filing.filing_deadline == date(2026, 11, 30)


def test_filing_more_than_ten_workdays_after_first_admission_is_late(file, store):
    handled = file(first_admission_date=date(2026, 10, 19))
    event = store.load(stream_id(USCC)).events[0].data
    assert handled.state.filing.late is True
    assert (event["late"], event["late_by_workdays"]) == (True, 15)
    assert event["filing_deadline"] == "2026-11-02"


def test_identical_refiling_returns_the_same_receipt_without_a_new_event(file, store):
    first = file()
    again = file()
    assert again.events == ()
    assert again.state.filing.receipt_no == first.state.filing.receipt_no
    assert again.version == first.version == 1


def test_filing_again_with_different_details_is_refused(file, store):
    file()
    with pytest.raises(AlreadyFiled):
        file(beds=80)
    assert names(store) == ["InstitutionFiled"]


def test_nursing_beds_above_beds_is_rejected_and_nothing_is_stored(file, store):
    with pytest.raises(InvalidCommand) as exc:
        file(beds=20, nursing_beds=21)
    assert "nursing_beds" in exc.value.errors
    assert names(store) == []


def test_first_admission_in_the_future_is_rejected(file, store):
    with pytest.raises(InvalidCommand) as exc:
        file(first_admission_date=date(2026, 11, 24))
    assert list(exc.value.errors) == ["first_admission_date"]


def test_change_records_the_changed_fields_and_keeps_the_receipt(file, change, store):
    receipt = file().state.filing.receipt_no
    same_name = details().name
    handled = change({"beds": 80, "contact_phone": "023-63000002", "name": same_name})
    event = store.load(stream_id(USCC)).events[-1]
    assert event.name == "InstitutionFilingChanged"
    assert event.data["changed_fields"] == ["beds", "contact_phone"]
    assert event.data["receipt_no"] == receipt
    assert handled.state.filing.details.beds == 80
    assert handled.state.filing.late is False  # timeliness stays as judged at filing


def test_change_without_any_difference_stores_nothing(file, change, store):
    file()
    handled = change({"beds": 60})
    assert handled.events == () and handled.version == 1


def test_change_with_a_stale_expected_version_conflicts(file, change, store):
    file()
    change({"beds": 70}, expected_version=1)
    with pytest.raises(ConcurrencyConflict):
        change({"beds": 75}, expected_version=1)
    assert store.load(stream_id(USCC)).version == 2


def test_change_that_makes_nursing_beds_exceed_beds_is_rejected(file, change, store):
    file()
    with pytest.raises(InvalidCommand) as exc:
        change({"beds": 20})
    assert "nursing_beds" in exc.value.errors
    assert names(store) == ["InstitutionFiled"]


def test_change_of_an_unknown_field_is_rejected(file, change):
    file()
    with pytest.raises(InvalidCommand):
        change({"receipt_no": "x"})


def test_change_before_filing_is_not_found(change):
    with pytest.raises(NotFiled):
        change({"beds": 20})


def test_cancellation_is_stored_once_and_a_retry_changes_nothing(file, cancel, store):
    file()
    first = cancel()
    again = cancel()
    assert names(store) == ["InstitutionFiled", "InstitutionCancelled"]
    assert again.events == () and again.version == first.version == 2
    assert first.state.filing.status == "cancelled"


def test_cancelling_again_for_another_reason_conflicts(file, cancel):
    file()
    cancel("停止经营")
    with pytest.raises(AlreadyCancelled):
        cancel("被吊销营业执照")


def test_cancelling_an_unfiled_institution_is_not_found(cancel):
    with pytest.raises(NotFiled):
        cancel()


def test_a_blank_cancellation_reason_is_rejected(file, cancel):
    file()
    with pytest.raises(InvalidCommand):
        cancel("   ")


def test_a_cancelled_filing_cannot_be_changed(file, cancel, change):
    file()
    cancel()
    with pytest.raises(FilingCancelled):
        change({"beds": 61})


def test_refiling_after_cancellation_issues_a_new_receipt(file, cancel, store):
    first = file().state.filing.receipt_no
    cancel()
    handled = file(first_admission_date=None)
    assert handled.state.filing.status == "filed"
    assert handled.state.filing.receipt_no == f"{first}-2"
    assert names(store) == ["InstitutionFiled", "InstitutionCancelled", "InstitutionFiled"]


def test_under_ten_beds_filing_is_not_required(file):
    filing = file(beds=8, nursing_beds=2, first_admission_date=date(2025, 1, 6)).state.filing
    assert (filing.filing_required, filing.late, filing.filing_deadline) == (False, False, None)
