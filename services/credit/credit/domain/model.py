"""Value objects shared by the aggregates: decided events and dates (rules: domain/rules.py)."""

from __future__ import annotations

import calendar as _months
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
