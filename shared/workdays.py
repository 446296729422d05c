"""Working-day calendar for deadlines (chinese-calendar, plus a stated fallback).

chinese-calendar knows the State Council's holiday notices up to its last release (2026).
For later years we use the provisional table in shared/data/holidays_fallback.json (statutory
days only, no make-up working days), or a file named by ELDERCARE_HOLIDAYS_FILE, and for any
year in neither, Monday to Friday. ``is_provisional(year)`` tells callers which applies so a
deadline can be shown as provisional.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar

FALLBACK_FILE = Path(__file__).resolve().parent / "data" / "holidays_fallback.json"


@lru_cache(maxsize=4)
def _fallback_table(path: str) -> dict[int, tuple[frozenset[date], frozenset[date]]]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    table = {}
    for year, spec in raw.items():
        if year.isdigit():
            table[int(year)] = (frozenset(map(date.fromisoformat, spec.get("holidays", []))),
                                frozenset(map(date.fromisoformat, spec.get("workdays", []))))
    return table


@lru_cache(maxsize=256)
def _covered_by_library(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


@lru_cache(maxsize=4096)
def _add_workdays(calendar: WorkCalendar, start: date, n: int) -> date:
    """(Every command of a day asks the same deadline: kept per calendar, start and n; a
    calendar's table does not change while it lives.)"""
    return calendar._walk(start, n)


@lru_cache(maxsize=8192)
def _library_workday(day: date) -> bool:
    """chinese_calendar's answer, kept: it checks the date against its whole table per call."""
    return bool(chinese_calendar.is_workday(day))


class WorkCalendar:
    """Mainland China working days."""

    def __init__(self, fallback_file: str | None = None) -> None:
        self.fallback_file = (fallback_file or os.environ.get("ELDERCARE_HOLIDAYS_FILE")
                              or str(FALLBACK_FILE))

    def is_provisional(self, year: int) -> bool:
        return not _covered_by_library(year)

    def is_workday(self, day: date) -> bool:
        if _covered_by_library(day.year):
            return _library_workday(day)
        holidays, workdays = _fallback_table(self.fallback_file).get(
            day.year, (frozenset(), frozenset()))
        if day in workdays:
            return True
        return day.weekday() < 5 and day not in holidays

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        return _add_workdays(self, start, n)

    def _walk(self, start: date, n: int) -> date:
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count
