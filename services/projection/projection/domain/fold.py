"""Whole documents from event lists, by the live consumer's rules: time travel (as_of)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from projection.domain.events import Event
from projection.domain.institution import blank, step

CHINA_TZ = timezone(timedelta(hours=8))
Document = dict[str, Any]


def fold(uscc: str, events: Iterable[Event]) -> Document | None:
    """The stored document after these events, or None if there are none.

    Applies an event only if its version is above the last one applied, exactly as the
    live consumer's idempotent write does, so a fold equals the live document.
    """
    view, seen, entries = blank(uscc), 0, []
    for event in sorted(events, key=lambda e: e.version):
        if event.version <= seen:
            continue
        (view, entry), seen = step(view, event), event.version
        if entry is not None:  # leads add nothing to the public history
            entries.append(entry)
    if not seen:
        return None
    return {**view, "_v": seen, "history": entries}


def history(uscc: str, events: Iterable[Event], version: int) -> list[Any]:
    """The public change history of a document at ``version``: replayed from its events
    (the document does not keep it), those after that version left out."""
    folded = fold(uscc, [e for e in events if e.version <= version])
    return folded["history"] if folded else []


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` ends in China (UTC+8)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA_TZ)


def as_of(uscc: str, events: Iterable[Event], day: date) -> Document | None:
    """The document as it stood at the end of ``day`` (China time)."""
    cutoff = end_of_day(day)
    return fold(uscc, [e for e in events if _aware(e.time) < cutoff])


def _aware(moment: datetime) -> datetime:
    # naive times come from clients without tz_aware; the stores keep UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
