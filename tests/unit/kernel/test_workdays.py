from datetime import date

from shared.workdays import WorkCalendar

cal = WorkCalendar()


def test_national_day_2026_is_not_a_working_day():
    assert not cal.is_workday(date(2026, 10, 5))


def test_ten_working_days_skip_weekends_and_holidays():
    # 2026-09-30 (Wed) + 10 working days crosses the National Day week
    deadline = cal.add_workdays(date(2026, 9, 30), 10)
    assert deadline > date(2026, 10, 14)
    assert cal.workdays_between(date(2026, 9, 30), deadline) == 10


def test_years_after_the_library_use_the_provisional_table():
    assert cal.is_provisional(2027) and not cal.is_provisional(2026)
    assert not cal.is_workday(date(2027, 2, 8))  # Spring Festival (statutory day)
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert cal.is_workday(date(2027, 1, 4))


def test_deadline_set_in_december_runs_into_2027():
    deadline = cal.add_workdays(date(2026, 12, 24), 10)
    assert deadline.year == 2027
    assert deadline == date(2027, 1, 8)  # 12-25,28,29,30,31 + 1-4,5,6,7,8 (1-1 off)


def test_override_file_adds_make_up_working_days(tmp_path):
    f = tmp_path / "h.json"
    f.write_text('{"2027": {"holidays": [], "workdays": ["2027-01-02"]}}')
    assert WorkCalendar(str(f)).is_workday(date(2027, 1, 2))
