"""Reading the directory's inbox: every registry event received, for time travel and leads.

The read-side kernel writes it (shared.readside.mongo): documents per institution and batch,
``stream`` and ``uscc`` the institution, ``types`` the event types they hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.database import Database

from projection.domain.events import Event
from projection.projector import INBOX, domain_event
from shared.mongo import find_in
from shared.readside.mongo import inbox_events


class MongoInbox:
    """proj_inbox, read by institution."""

    def __init__(self, db: Database) -> None:
        self.coll = db[INBOX]

    def events_of(self, uscc: str) -> list[Event]:
        """One institution's events in version order."""
        return self.events_of_many([uscc]).get(uscc, [])

    def usccs_with(self, event_types: Iterable[str]) -> list[str]:
        """The institutions with at least one event of these ce_types, sorted."""
        found = self.coll.find({"types": {"$in": list(event_types)}}, {"stream": 1})
        return sorted({d["stream"] for d in found})

    def events_of_many(self, usccs: Iterable[str]) -> dict[str, list[Event]]:
        """Each institution's events in version order, in one query."""
        kept = inbox_events(find_in(self.coll, "stream", usccs))
        return {uscc: [domain_event(e) for e in events] for uscc, events in kept.items()}
