"""The slice of an event the read side needs, free of any transport or storage type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """One registry event: its name, contract data, stream version and time."""

    name: str
    data: dict[str, Any]
    version: int
    time: datetime
    schema_version: int = 1

    @property
    def uscc(self) -> str:
        return str(self.data["uscc"])


def iso_time(moment: datetime) -> str:
    """An event time as stored in views: UTC, ISO 8601, milliseconds (what BSON keeps)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds")
