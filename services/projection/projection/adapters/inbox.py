"""Reading the directory's inbox: every registry event received, for time travel and leads.

The read-side kernel writes it (shared.readside.mongo): one document per event id, with
``stream`` and ``uscc`` both the institution and ``skey`` = <uscc>:<version>.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

from projection.domain.events import Event
from projection.projector import INBOX
from shared.envelope import parse_ce_type


class MongoInbox:
    """proj_inbox, read by institution."""

    def __init__(self, db: Database) -> None:
        self.coll = db[INBOX]

    def events_of(self, uscc: str) -> list[Event]:
        """One institution's events in version order."""
        return [_event(d) for d in self.coll.find({"stream": uscc}).sort("skey", 1)]

    def usccs_with(self, event_types: Iterable[str]) -> list[str]:
        """The institutions with at least one event of these ce_types, sorted."""
        found = self.coll.find({"type": {"$in": list(event_types)}}, {"stream": 1})
        return sorted({d["stream"] for d in found})

    def events_of_many(self, usccs: Iterable[str]) -> dict[str, list[Event]]:
        """Each institution's events in version order, in one query."""
        grouped: dict[str, list[Event]] = {}
        for d in self.coll.find({"stream": {"$in": list(usccs)}}).sort("skey", 1):
            grouped.setdefault(d["stream"], []).append(_event(d))
        return grouped


def _event(doc: dict[str, Any]) -> Event:
    _, name, schema_version = parse_ce_type(doc["type"])
    return Event(name=name, data=doc["data"], version=int(doc["stream_version"]),
                 time=doc["time"], schema_version=schema_version)
