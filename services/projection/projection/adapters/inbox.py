"""The inbox: every registry event the projection received, kept to rebuild and time travel."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from projection.domain.events import Event
from shared.envelope import Envelope, parse_ce_type

INBOX = "proj_inbox"
SUBJECT_PREFIX = "institution-"


def sort_key(uscc: str, version: int) -> str:
    """One sortable string per event: a stream's events sort together, by version."""
    return f"{uscc}:{version:012d}"


def uscc_of(env: Envelope) -> str:
    """The institution an event is about (every registry event names it)."""
    return str(env.data.get("uscc") or env.subject.removeprefix(SUBJECT_PREFIX))


def to_event(env: Envelope) -> Event:
    """The domain's view of an envelope."""
    _, name, schema_version = parse_ce_type(env.type)
    return Event(name=name, data=env.data, version=env.stream_version, time=env.time,
                 schema_version=schema_version)


class MongoInbox:
    """proj_inbox: one document per event id, so a redelivery is stored once."""

    def __init__(self, db: Database) -> None:
        self.coll = db[INBOX]

    def ensure_indexes(self) -> None:
        # nx-27017 serves queries from single fields; "type" finds the leads (web/leads.py)
        for key in ("subject", "uscc", "skey", "type"):
            self.coll.create_index(key)

    def store(self, env: Envelope) -> bool:
        """Keep the event; False when it was already there."""
        uscc = uscc_of(env)
        try:
            self.coll.insert_one({
                "_id": env.id, "subject": env.subject, "uscc": uscc,
                "stream_version": env.stream_version, "skey": sort_key(uscc, env.stream_version),
                "type": env.type, "source": env.source, "time": env.time, "data": env.data,
                "position": env.position,
            })
        except DuplicateKeyError:
            return False
        return True

    def events_of(self, uscc: str) -> list[Event]:
        """One institution's events in version order."""
        return [_event(d) for d in self.coll.find({"uscc": uscc}).sort("skey", 1)]

    def usccs_with(self, event_types: Iterable[str]) -> list[str]:
        """The institutions with at least one event of these ce_types, sorted."""
        found = self.coll.find({"type": {"$in": list(event_types)}}, {"uscc": 1})
        return sorted({d["uscc"] for d in found})

    def events_of_many(self, usccs: Iterable[str]) -> dict[str, list[Event]]:
        """Each institution's events in version order, in one query."""
        grouped: dict[str, list[Event]] = {}
        for d in self.coll.find({"uscc": {"$in": list(usccs)}}).sort("skey", 1):
            grouped.setdefault(d["uscc"], []).append(_event(d))
        return grouped

    def scan(self) -> Iterator[Event]:
        """Every event, each stream's versions together and in order."""
        return (_event(d) for d in self.coll.find({}).sort("skey", 1))

    def count(self) -> int:
        return int(self.coll.estimated_document_count())


def _event(doc: dict[str, Any]) -> Event:
    _, name, schema_version = parse_ce_type(doc["type"])
    return Event(name=name, data=doc["data"], version=int(doc["stream_version"]),
                 time=doc["time"], schema_version=schema_version)
