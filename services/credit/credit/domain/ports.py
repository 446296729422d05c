"""Ports the domain needs from the outside world."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class WorkCalendar(Protocol):
    """Mainland China working days (implemented by shared.workdays.WorkCalendar)."""

    def is_workday(self, day: date) -> bool: ...

    def add_workdays(self, start: date, n: int) -> date: ...

    def is_provisional(self, year: int) -> bool: ...
