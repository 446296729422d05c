from datetime import UTC, date, datetime, timedelta

from projection.domain.fold import as_of, end_of_day, fold

from tests.unit.projection import samples as s

CODE = s.uscc(2)


def test_fold_gives_the_final_view_with_version_and_full_history():
    doc = fold(CODE, s.lifecycle(CODE))
    assert doc["_v"] == 4 and doc["filing_status"] == "cancelled"
    assert [h["version"] for h in doc["history"]] == [1, 2, 3, 4]


def test_fold_ignores_redelivered_versions_and_sorts_by_version():
    events = s.lifecycle(CODE)
    shuffled = [events[2], events[0], events[1], events[1], events[3], events[0]]
    assert fold(CODE, shuffled) == fold(CODE, events)


def test_fold_of_nothing_is_none():
    assert fold(CODE, []) is None


def test_as_of_shows_the_state_at_the_end_of_that_day_in_china():
    events = s.lifecycle(CODE)
    assert as_of(CODE, events, date(2026, 1, 5)) is None
    assert as_of(CODE, events, date(2026, 2, 10))["filing_status"] == "filed"
    march = as_of(CODE, events, date(2026, 3, 31))
    assert march["beds"] == 120 and march["_v"] == 2 and len(march["history"]) == 2
    assert as_of(CODE, events, date(2026, 4, 1))["beds"] == 150
    assert as_of(CODE, events, date(2030, 1, 1)) == fold(CODE, events)


def test_day_boundary_is_beijing_midnight():
    late_evening = datetime(2026, 2, 10, 15, 59, tzinfo=UTC)  # 23:59 in Beijing
    next_day = late_evening + timedelta(minutes=1)
    events = [s.event("InstitutionFiled", s.filed(CODE), 1, late_evening),
              s.event("InstitutionCancelled", s.cancelled(CODE), 2, next_day)]
    assert as_of(CODE, events, date(2026, 2, 10))["filing_status"] == "filed"
    assert as_of(CODE, events, date(2026, 2, 11))["filing_status"] == "cancelled"
    assert end_of_day(date(2026, 2, 10)) == datetime(2026, 2, 10, 16, 0, tzinfo=UTC)


def test_naive_times_are_taken_as_utc():
    naive = datetime(2026, 2, 10, 15, 59)
    events = [s.event("InstitutionFiled", s.filed(CODE), 1, naive)]
    assert as_of(CODE, events, date(2026, 2, 10))["_v"] == 1
