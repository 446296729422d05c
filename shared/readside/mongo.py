"""The MongoDB adapter of the read-side store (single-field indexes: nx-27017 needs them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import InsertOne, ReplaceOne, UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared.mongo import find_in
from shared.readside.projector import Doc, Event, Increments, Projector, aware, now
from shared.readside.store import (
    META,
    Cursor,
    Write,
    cursor_collection,
    each,
    generations_among,
    physical,
    pointer_id,
    skey,
    stored_collections,
)

DUPLICATE_KEY = 11000
INBOX_INDEXES = ("stream", "skey", "received", "types")

FILL_BATCH = 2000


class MongoReadStore:
    """ReadStore on one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collection(self, p: Projector, logical: str, generation: int | None = None
                   ) -> Collection:
        """A logical collection of the active (or a given) generation."""
        return self.db[physical(logical, generation or self.active(p)[0])]

    def prepare(self, p: Projector, generation: int, indexes: bool = True) -> None:
        """The inbox's indexes, and unless ``indexes`` is false the generation's secondary
        indexes (a rebuild writes its generation first and indexes it once, after)."""
        for key in INBOX_INDEXES:
            self.db[p.inbox].create_index(key)
        if not indexes:
            return
        for logical, keys in p.collections.items():
            for key in keys:
                self.db[physical(logical, generation)].create_index(key)

    def keep(self, p: Projector, events: Sequence[Event]) -> None:
        received = now()
        by_stream: dict[str, dict[int, Event]] = {}
        for e in events:
            by_stream.setdefault(e.stream, {}).setdefault(e.version, e)
        _bulk(self.db[p.inbox], [InsertOne(_inbox_doc(p, sorted(kept.values(),
                                                              key=lambda e: e.version),
                                                       received))
                                 for kept in by_stream.values()])

    def events_after(self, p: Projector, after: Mapping[str, int]) -> dict[str, list[Event]]:
        found = inbox_events(find_in(self.db[p.inbox], "stream", after))
        return {s: [e for e in evs if e.version > after[s]] for s, evs in found.items()}

    def scan(self, p: Projector) -> Iterator[Event]:
        docs: list[Doc] = []
        for d in self.db[p.inbox].find({}).sort("skey", 1):
            if "stream" not in d:
                continue  # from before issue 10 (see inbox_events)
            if docs and d["stream"] != docs[0]["stream"]:
                yield from _single(docs)
                docs = []
            docs.append(d)
        yield from _single(docs)

    def inbox_size(self, p: Projector) -> int:
        """Events kept (a redelivery kept twice counts twice)."""
        return sum(int(d["n"]) for d in self.db[p.inbox].find({}, {"n": 1}))

    def streams_since(self, p: Projector, moment: datetime) -> dict[str, int]:
        latest: dict[str, int] = {}
        for d in self.db[p.inbox].find({"received": {"$gte": _iso(moment)}},
                                       {"stream": 1, "last": 1}):
            if "last" in d:  # (one event per document from before issue 10: re-kept)
                latest[d["stream"]] = max(latest.get(d["stream"], 0), int(d["last"]))
        return latest

    def cursors(self, p: Projector, generation: int,
                streams: Iterable[str]) -> dict[str, Cursor]:
        coll = self.db[physical(cursor_collection(p), generation)]
        return {d["_id"]: (int(d["v"]), int(d.get("ahead", 0)))
                for d in coll.find({"_id": {"$in": list(streams)}})}

    def set_cursors(self, p: Projector, generation: int,
                    cursors: Mapping[str, Cursor]) -> None:
        coll = self.db[physical(cursor_collection(p), generation)]
        _bulk(coll, [UpdateOne({"_id": s}, {"$max": {"v": v}, "$set": {"ahead": ahead}},
                               upsert=True) for s, (v, ahead) in cursors.items()])

    def find(self, p: Projector, generation: int, collection: str,
             ids: Iterable[str]) -> dict[str, Doc]:
        coll = self.db[physical(collection, generation)]
        return {d["_id"]: d for d in coll.find({"_id": {"$in": list(ids)}})}

    def write(self, p: Projector, generation: int, writes: Sequence[Write]) -> None:
        by_coll: dict[str, list[Any]] = {}
        for w in writes:
            doc = {"_id": w.doc_id, **w.doc}
            if not w.versioned:
                op: Any = ReplaceOne({"_id": w.doc_id}, doc, upsert=True)
            elif w.expected is None:
                op = InsertOne(doc)  # a racing writer's copy is the same document
            else:
                op = ReplaceOne({"_id": w.doc_id, "_v": w.expected}, doc)
            by_coll.setdefault(w.collection, []).append(op)
        each(lambda item: _bulk(self.db[physical(item[0], generation)], item[1]),
             list(by_coll.items()))

    def increment(self, p: Projector, generation: int, increments: Increments) -> None:
        by_coll: dict[str, list[Any]] = {}
        for (logical, key), n in increments.items():
            by_coll.setdefault(logical, []).append(
                UpdateOne({"_id": key}, {"$inc": {"n": n}}, upsert=True))
        each(lambda item: _bulk(self.db[physical(item[0], generation)], item[1]),
             list(by_coll.items()))

    def all_docs(self, p: Projector, generation: int, collection: str) -> Iterator[Doc]:
        return iter(self.db[physical(collection, generation)].find({}))

    def reset(self, p: Projector, generation: int, collection: str,
              docs: Sequence[Doc]) -> None:
        coll = self.db[physical(collection, generation)]
        keep = [d["_id"] for d in docs]
        coll.delete_many({"_id": {"$nin": keep}})
        _bulk(coll, [ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in docs])

    def fill(self, p: Projector, generation: int, collection: str,
             docs: Iterable[Doc], replace: bool = False) -> None:
        """Insert into a collection no one else writes yet (a rebuild's new generation), in
        bulk; a document already there (a rebuild retried) stays as it is, or with
        ``replace`` is replaced."""
        coll, ops = self.db[physical(collection, generation)], []
        for d in docs:
            ops.append(ReplaceOne({"_id": d["_id"]}, d, upsert=True) if replace
                       else InsertOne(d))
            if len(ops) >= FILL_BATCH:
                _bulk(coll, ops)
                ops = []
        _bulk(coll, ops)

    def active(self, p: Projector) -> tuple[int, datetime | None]:
        doc = self.db[META].find_one({"_id": pointer_id(p)})
        if doc is None:
            return 1, None
        since = doc.get("since")
        return int(doc["generation"]), datetime.fromisoformat(since) if since else None

    def switch(self, p: Projector, generation: int, since: datetime) -> None:
        self.db[META].update_one({"_id": pointer_id(p)},
                                 {"$set": {"generation": generation, "since": _iso(since)}},
                                 upsert=True)

    def generations(self, p: Projector) -> list[int]:
        return generations_among(p, self.db.list_collection_names())

    def drop(self, p: Projector, generation: int) -> None:
        for logical in stored_collections(p):
            self.db.drop_collection(physical(logical, generation))


def _inbox_doc(p: Projector, events: list[Event], received: datetime) -> Doc:
    """One inbox document per stream and batch: its versions in order, and what finds it."""
    first, last = events[0], events[-1]
    return {"_id": f"{first.stream}:{first.version:012d}:{last.version:012d}",
            "stream": first.stream, "skey": skey(first.stream, first.version),
            "first": first.version, "last": last.version, "n": len(events),
            "types": sorted({e.type for e in events}), "received": _iso(received),
            "events": [_kept(e) for e in events], **p.inbox_fields(first)}


def _kept(e: Event) -> Doc:
    return {"id": e.id, "v": e.version, "type": e.type, "time": e.time, "data": e.data,
            "subject": e.subject, "source": e.source, "position": e.position}


def inbox_events(docs: Iterable[Doc]) -> dict[str, list[Event]]:
    """The events of inbox documents per stream, each version once, in version order."""
    found: dict[str, dict[int, Event]] = {}
    for d in docs:
        if "events" not in d:
            continue  # one event per document, from before issue 10: its copy is re-kept
        versions = found.setdefault(d["stream"], {})
        for k in d["events"]:
            versions.setdefault(int(k["v"]), _event(d["stream"], k))
    return {s: [versions[v] for v in sorted(versions)] for s, versions in found.items()}


def _single(docs: list[Doc]) -> list[Event]:
    """The events of one stream's inbox documents."""
    return [e for evs in inbox_events(docs).values() for e in evs]


def _event(stream: str, k: Doc) -> Event:
    return Event(id=k["id"], stream=stream, version=int(k["v"]), type=k["type"],
                 data=k["data"], time=aware(k["time"]), subject=k.get("subject", ""),
                 source=k.get("source", ""), position=int(k.get("position", 0)))


def _iso(moment: datetime) -> str:
    """Times the kernel compares are ISO text in UTC (sorts like the time; every store keeps
    text as given)."""
    return aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def _bulk(coll: Collection, ops: list[Any]) -> None:
    """One unordered bulk write; a duplicate key means the document is there already."""
    if not ops:
        return
    try:
        coll.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:
        other = [e for e in exc.details.get("writeErrors", []) if e.get("code") != DUPLICATE_KEY]
        if other or exc.details.get("writeConcernErrors"):
            raise
