"""The 10-bed / 10-working-day filing rule, computed with the real China work calendar."""

from __future__ import annotations

from datetime import date

from registry.domain.filing import Timing, assess_timing, receipt_number
from registry.domain.rules import Rules

from shared.workdays import WorkCalendar
from tests.unit.registry.builders import details


def timing(first_admission: date | None, filed_on: date, beds: int = 60,
           rules: Rules | None = None) -> Timing:
    filing = details(beds=beds, nursing_beds=0, first_admission_date=first_admission)
    return assess_timing(filing, filed_on, WorkCalendar(), rules or Rules())


def test_deadline_skips_national_day_and_counts_the_make_up_saturday():
    # after Mon 2026-09-28: 9/29, 9/30, (10/1-10/7 off), 10/8, 10/9, Sat 10/10 (调休), 10/12-10/16
    t = timing(date(2026, 9, 28), date(2026, 10, 16))
    assert t.filing_deadline == date(2026, 10, 16)
    assert (t.filing_required, t.late, t.late_by_workdays) == (True, False, 0)
    assert t.deadline_provisional is False


def test_filing_the_working_day_after_the_deadline_is_late_by_one_workday():
    t = timing(date(2026, 9, 28), date(2026, 10, 19))
    assert (t.late, t.late_by_workdays) == (True, 1)


def test_filing_on_the_weekend_after_the_deadline_is_late_by_zero_workdays():
    t = timing(date(2026, 9, 28), date(2026, 10, 17))
    assert (t.late, t.late_by_workdays) == (True, 0)


def test_late_by_counts_working_days_past_the_deadline():
    t = timing(date(2026, 10, 19), date(2026, 11, 23))
    assert t.filing_deadline == date(2026, 11, 2)
    assert (t.late, t.late_by_workdays) == (True, 15)


def test_deadline_in_2027_uses_the_provisional_holiday_table():
    # fallback table: 2027-10-01..03 off, no make-up days known yet
    t = timing(date(2027, 9, 30), date(2027, 10, 15))
    assert t.filing_deadline == date(2027, 10, 15)
    assert t.deadline_provisional is True
    assert t.late is False


def test_deadline_running_into_2027_is_provisional():
    t = timing(date(2026, 12, 28), date(2026, 12, 30))
    assert t.filing_deadline == date(2027, 1, 12)  # 2027-01-01 is off in the fallback table
    assert t.deadline_provisional is True


def test_under_ten_beds_filing_is_not_required_and_never_late():
    t = timing(date(2026, 1, 5), date(2026, 11, 23), beds=9)
    assert t == Timing(False, None, False, 0, False)


def test_ten_beds_is_the_threshold():
    t = timing(date(2026, 1, 5), date(2026, 11, 23), beds=10)
    assert t.filing_required is True and t.late is True


def test_threshold_and_deadline_are_configurable():
    rules = Rules(filing_threshold_beds=5, filing_deadline_workdays=20)
    t = timing(date(2026, 10, 19), date(2026, 11, 13), beds=6, rules=rules)
    assert t.filing_required is True
    assert t.filing_deadline == date(2026, 11, 16)
    assert t.late is False


def test_institution_not_yet_admitting_has_no_deadline():
    t = timing(None, date(2026, 11, 23))
    assert t == Timing(True, None, False, 0, False)


def test_receipt_number_is_derived_from_division_year_and_subject_id():
    uscc = "91500103MA0000001X"
    assert receipt_number(uscc, "500103", 2026, 0) == "500103-2026-备-MA0000001"
    assert receipt_number(uscc, "500103", 2027, 1) == "500103-2027-备-MA0000001-2"
