"""Jinja filters for the public pages (dates in China time, blanks as a dash)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

CHINA_TZ = timezone(timedelta(hours=8))


def dash(value: Any) -> Any:
    """Show a dash for missing values."""
    return "—" if value is None or value == "" else value


def cn_time(value: str | datetime | None) -> str:
    """A moment (ISO text or datetime) as Beijing time, minutes precision."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def yes_no(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


FILTERS = {"dash": dash, "cn_time": cn_time, "yes_no": yes_no}
