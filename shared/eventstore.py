"""Event store port, its MongoDB adapter and an in-memory fake for unit tests.

One MongoDB document per commit is the atomic unit (a single insert_one):
``{_id: "<stream>@<first_version>", stream_id, first_version, last_version, position,
published, types, events: [...]}``. Optimistic concurrency comes from the unique ``_id``:
two writers that read the same version both try to insert the same ``_id`` and exactly one
succeeds. Versions a writer can expect are always commit boundaries it has read, so commits
of one stream form a chain without overlaps (docs/adr/0002-event-store.md).

The relay follows the ``published`` flag, not a high-water mark, so a commit that becomes
visible late (a slow concurrent writer) is still published: nothing is skipped.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared import contracts
from shared.authority import SYSTEM, Authority, Forbidden, Scope, check
from shared.clock import Clock, SystemClock
from shared.domain import DomainError
from shared.envelope import Envelope, ce_type, new_event_id

COMMITS = "es_commits"
# Events are bounded by design (a bank statement is stored in parts): an event over this
# many bytes is refused before anything is stored, below the broker's 1 MiB message limit.
MAX_EVENT_BYTES = int(os.environ.get("ELDERCARE_MAX_EVENT_BYTES", "900000"))
PARKED = "es_parked"  # commits the broker refused: {_id: commit id, stream_id, reason, at}
PARKED_FRESH = 2.0  # seconds a relay keeps the parked streams it read


class EventTooLarge(DomainError):
    """An event larger than MAX_EVENT_BYTES: nothing is stored (HTTP 413)."""

    status = 413


class ConcurrencyConflict(Exception):
    """Another command wrote to the stream first (HTTP 409)."""

    def __init__(self, stream_id: str, expected: int, actual: int | None = None) -> None:
        self.stream_id, self.expected, self.actual = stream_id, expected, actual
        found = "" if actual is None else f", found {actual}"
        super().__init__(f"stream {stream_id} changed: expected version {expected}{found}")


@dataclass(frozen=True)
class NewEvent:
    """An event decided by an aggregate, not yet stored."""

    name: str
    data: dict[str, Any]
    schema_version: int = 1


@dataclass(frozen=True)
class CommitMeta:
    """Who and what caused a commit (never residents' personal data).

    ``authority`` is the verified caller (None for the service acting on its own behalf:
    scheduler, consumers); ``actor_region`` is the region of that caller's account the commit
    was made for, set by ``authorized``.
    """

    command_id: str = ""
    actor_dept: str = ""
    actor: str = ""
    actor_region: str = ""
    authority: Authority | None = field(default=None, compare=False)

    @classmethod
    def of(cls, authority: Authority, command_id: str) -> CommitMeta:
        return cls(command_id=command_id, actor_dept=authority.department,
                   actor=authority.sub, authority=authority)

    @classmethod
    def system(cls, command_id: str, actor: str = "") -> CommitMeta:
        return cls(command_id=command_id, actor_dept=SYSTEM, actor=actor or SYSTEM)

    def authorized(self, scope: Scope) -> CommitMeta:
        """This meta with the region acted for, or Forbidden. The service itself (scheduler,
        consumers) is not an official and passes; any other meta needs an authority."""
        if self.authority is None:
            if self.actor_dept == SYSTEM:
                return self
            raise Forbidden("缺少经核验的办理人身份")
        region = check(self.authority, scope)
        return CommitMeta(self.command_id, self.actor_dept, self.actor, region, self.authority)


@dataclass
class Stream:
    """The stored events of one aggregate and its current version."""

    stream_id: str
    events: list[Envelope] = field(default_factory=list)
    version: int = 0
    last_position: int = 0


@dataclass(frozen=True)
class Commit:
    commit_id: str
    stream_id: str
    position: int
    events: list[Envelope]


class EventStore(Protocol):
    """What command handlers and relays need from an event store."""

    def load(self, stream_id: str) -> Stream: ...

    def append(self, stream_id: str, expected_version: int, events: Sequence[NewEvent],
               meta: CommitMeta, last_position: int | None = None) -> list[Envelope]: ...

    def unpublished(self, limit: int = 500) -> list[Commit]: ...

    def mark_published(self, commit_ids: Sequence[str]) -> None: ...

    def mark_all_unpublished(self) -> int: ...

    def park(self, commit_id: str, stream_id: str, reason: str) -> None:
        """Set a commit aside (the broker refused it); it and every later commit of its
        stream are left out of ``unpublished`` until it is released."""

    def parked(self) -> list[dict[str, Any]]: ...

    def release(self, commit_id: str) -> bool: ...

    def streams_with(self, event_name: str) -> list[str]: ...

    def read_all(self, batch: int = 1000, after: int = -1) -> Iterator[Envelope]: ...

    def existing(self, stream_ids: Sequence[str]) -> set[str]:
        """Which of these streams have any event (one read, whatever their number)."""


def _next_position(last_position: int) -> int:
    """Time-ordered, strictly increasing per stream; uniqueness enforced by an index."""
    return max(time.time_ns(), last_position + 1)


def build_envelopes(service: str, stream_id: str, expected_version: int,
                    events: Sequence[NewEvent], meta: CommitMeta, clock: Clock,
                    position: int) -> list[Envelope]:
    """Turn decided events into validated envelopes (schema checked on produce)."""
    now = clock.now()
    out = []
    for i, e in enumerate(events, start=1):
        env = Envelope(
            id=new_event_id(), source=f"/eldercare/{service}", type=ce_type(service, e.name,
                                                                              e.schema_version),
            subject=stream_id, time=now, data=e.data, stream_version=expected_version + i,
            command_id=meta.command_id, actor_dept=meta.actor_dept, actor=meta.actor,
            position=position, actor_region=meta.actor_region,
        )
        contracts.validate(env)
        size = _encoded_size(e.data)
        if size > MAX_EVENT_BYTES:
            raise EventTooLarge(f"事件 {env.name} 有 {size} 字节，超过 {MAX_EVENT_BYTES} 字节的"
                                "上限，未保存（请分批提交）")
        out.append(env)
    return out


def _encoded_size(data: dict[str, Any]) -> int:
    """The bytes of ``Envelope.value()``. Escaped ASCII JSON is never shorter than the UTF-8
    form (a character takes at most 4 bytes there and at least 6 escaped, or 12 as a
    surrogate pair) and is cheaper to make, so the exact length is computed only near the
    limit. Key order does not change the length."""
    bound = len(json.dumps(data))
    if bound <= MAX_EVENT_BYTES:
        return bound
    return len(json.dumps(data, ensure_ascii=False).encode())


class MongoEventStore:
    """Event store on one MongoDB database (the service's own)."""

    def __init__(self, db: Database, service: str, clock: Clock | None = None) -> None:
        self.db, self.service, self.clock = db, service, clock or SystemClock()
        self.commits = db[COMMITS]
        self._none_parked_at: float | None = None  # when none were parked, last read

    def ensure_indexes(self) -> None:
        c = self.commits
        c.create_index([("stream_id", ASCENDING)])
        c.create_index([("position", ASCENDING)], unique=True)
        c.create_index([("published", ASCENDING)])
        c.create_index([("types", ASCENDING)])
        c.create_index([("stream_id", ASCENDING), ("first_version", ASCENDING)], unique=True)

    def load(self, stream_id: str) -> Stream:
        stream = Stream(stream_id)
        for doc in self.commits.find({"stream_id": stream_id}).sort("first_version", 1):
            stream.events.extend(Envelope.from_dict(e) for e in doc["events"])
            stream.version = doc["last_version"]
            stream.last_position = doc["position"]
        return stream

    def append(self, stream_id: str, expected_version: int, events: Sequence[NewEvent],
               meta: CommitMeta, last_position: int | None = None) -> list[Envelope]:
        if not events:
            return []
        if last_position is None:
            last_position = self._head_position(stream_id, expected_version)
        for attempt in range(5):
            position = _next_position(last_position) + attempt * random.randint(1, 997)
            envs = build_envelopes(self.service, stream_id, expected_version, events, meta,
                                   self.clock, position)
            try:
                self.commits.insert_one(self._doc(stream_id, expected_version, envs, position))
                return envs
            except DuplicateKeyError as exc:
                if "position" not in str(exc):
                    raise ConcurrencyConflict(stream_id, expected_version) from exc
        raise RuntimeError("could not allocate a unique position")  # pragma: no cover

    def append_many(self, commits: Sequence[tuple[str, int, Sequence[NewEvent]]],
                    meta: CommitMeta) -> int:
        """Many commits in one ordered insert, each (stream, expected version, events): a
        bulk import (a legacy system's history; the scale bench's). Positions come from the
        clock, as ``append``'s, in the order given. A version already taken raises
        ConcurrencyConflict with the commits before it stored; the number of events stored
        otherwise."""
        todo = [(s, v, evs) for s, v, evs in commits if evs]
        stored = 0
        for attempt in range(5):
            base = _next_position(0) + attempt * random.randint(1, 997)
            docs = [self._doc(s, v, build_envelopes(self.service, s, v, evs, meta, self.clock,
                                                    base + i), base + i)
                    for i, (s, v, evs) in enumerate(todo)]
            try:
                if docs:
                    self.commits.insert_many(docs, ordered=True)
                return stored + sum(len(evs) for _, _, evs in todo)
            except BulkWriteError as exc:
                done = int(exc.details.get("nInserted", 0))
                stored += sum(len(evs) for _, _, evs in todo[:done])
                failed, todo = todo[done], todo[done:]
                errors = exc.details.get("writeErrors") or [{}]
                if "position" not in str(errors[0].get("errmsg", "")) + str(
                        errors[0].get("keyPattern", "")):
                    raise ConcurrencyConflict(failed[0], failed[1]) from exc
        raise RuntimeError("could not allocate unique positions")  # pragma: no cover

    def _head_position(self, stream_id: str, expected_version: int) -> int:
        if expected_version == 0:
            return 0
        doc = self.commits.find_one({"stream_id": stream_id, "last_version": expected_version},
                                    {"position": 1})
        if doc is None:
            raise ConcurrencyConflict(stream_id, expected_version)
        return int(doc["position"])

    def _doc(self, stream_id: str, expected: int, envs: list[Envelope], pos: int) -> dict:
        return {
            "_id": f"{stream_id}@{expected + 1}", "stream_id": stream_id,
            "first_version": expected + 1, "last_version": expected + len(envs),
            "position": pos, "published": False, "types": sorted({e.name for e in envs}),
            "events": [e.to_dict() for e in envs],
        }

    def unpublished(self, limit: int = 500) -> list[Commit]:
        """Unpublished commits in position order, except those of streams with a parked
        commit (held back whole: a stream is never published out of order).

        The parked streams are read only when something is unpublished, and that none are
        parked is kept for PARKED_FRESH seconds (only the relay holding the lease parks, and
        it forgets at once when it does), so an idle relay costs the store one read per poll
        and a busy one about one read per batch; while some are parked they are read every
        time (a release from the CLI takes effect at once)."""
        query: dict[str, Any] = {"published": False}
        docs = list(self.commits.find(query).sort("position", 1).limit(limit))
        if not docs:
            return []
        held = self._held()
        if held and any(d["stream_id"] in held for d in docs):
            query["stream_id"] = {"$nin": sorted(held)}
            docs = list(self.commits.find(query).sort("position", 1).limit(limit))
        return [_commit(d) for d in docs]

    def _held(self) -> frozenset[str]:
        now = time.monotonic()
        if self._none_parked_at is not None and now - self._none_parked_at <= PARKED_FRESH:
            return frozenset()
        held = frozenset(str(d["stream_id"]) for d in self.db[PARKED].find({}, {"stream_id": 1}))
        self._none_parked_at = None if held else now
        return held

    def park(self, commit_id: str, stream_id: str, reason: str) -> None:
        self.db[PARKED].update_one({"_id": commit_id}, {"$set": {
            "stream_id": stream_id, "reason": reason, "at": time.time()}}, upsert=True)
        self._none_parked_at = None

    def parked(self) -> list[dict[str, Any]]:
        return list(self.db[PARKED].find({}).sort("_id", 1))

    def release(self, commit_id: str) -> bool:
        self._none_parked_at = None
        return self.db[PARKED].delete_one({"_id": commit_id}).deleted_count == 1

    def mark_published(self, commit_ids: Sequence[str]) -> None:
        if commit_ids:
            self.commits.update_many({"_id": {"$in": list(commit_ids)}},
                                     {"$set": {"published": True}})

    def mark_all_unpublished(self) -> int:
        res = self.commits.update_many({"published": True}, {"$set": {"published": False}})
        return res.modified_count

    def existing(self, stream_ids: Sequence[str]) -> set[str]:
        if not stream_ids:
            return set()
        # a stream's first commit is "<stream>@1": an $in on _id is served by its index on
        # both servers (an $in on stream_id is a scan of every commit on the stand-in)
        return {str(d["stream_id"]) for d in self.commits.find(
            {"_id": {"$in": [f"{s}@1" for s in sorted(set(stream_ids))]}}, {"stream_id": 1})}

    def streams_with(self, event_name: str) -> list[str]:
        return sorted(self.commits.distinct("stream_id", {"types": event_name}))

    def read_all(self, batch: int = 1000, after: int = -1) -> Iterator[Envelope]:
        """Every stored event in position order (tools and tests); with ``after``, those of
        commits stored after that position (positions follow the wall clock in ns)."""
        last = after
        while True:
            docs = list(self.commits.find({"position": {"$gt": last}}).sort("position", 1)
                        .limit(batch))
            if not docs:
                return
            for d in docs:
                yield from (Envelope.from_dict(e) for e in d["events"])
            last = docs[-1]["position"]

    def max_position(self) -> int:
        doc = self.commits.find_one({}, {"position": 1}, sort=[("position", -1)])
        return int(doc["position"]) if doc else 0


def _commit(doc: dict) -> Commit:
    return Commit(doc["_id"], doc["stream_id"], doc["position"],
                  [Envelope.from_dict(e) for e in doc["events"]])


class InMemoryEventStore:
    """A fake with the same guarantees, for domain and handler unit tests."""

    def __init__(self, service: str, clock: Clock | None = None) -> None:
        self.service, self.clock = service, clock or SystemClock()
        self._commits: dict[str, dict] = {}
        self._streams: dict[str, list[dict]] = {}  # each stream's commits, in version order
        self._parked: dict[str, dict[str, Any]] = {}
        self._last_position = 0
        self._lock = threading.Lock()

    def load(self, stream_id: str) -> Stream:
        stream = Stream(stream_id)
        for d in self._streams.get(stream_id, ()):
            stream.events.extend(d["envelopes"])
            stream.version, stream.last_position = d["last_version"], d["position"]
        return stream

    def append(self, stream_id: str, expected_version: int, events: Sequence[NewEvent],
               meta: CommitMeta, last_position: int | None = None) -> list[Envelope]:
        if not events:
            return []
        with self._lock:
            current = self.load(stream_id)
            if current.version != expected_version:
                raise ConcurrencyConflict(stream_id, expected_version, current.version)
            pos = _next_position(self._last_position)
            envs = build_envelopes(self.service, stream_id, expected_version, events, meta,
                                   self.clock, pos)
            cid = f"{stream_id}@{expected_version + 1}"
            doc = {"stream_id": stream_id, "first_version": expected_version + 1,
                   "last_version": expected_version + len(envs), "position": pos,
                   "published": False, "envelopes": tuple(envs),
                   "types": tuple(e.name for e in events)}
            self._commits[cid], self._last_position = doc, pos
            self._streams.setdefault(stream_id, []).append(doc)
            return envs

    def append_many(self, commits: Sequence[tuple[str, int, Sequence[NewEvent]]],
                    meta: CommitMeta) -> int:
        stored = 0
        for stream_id, expected, events in commits:
            stored += len(self.append(stream_id, expected, events, meta))
        return stored

    def insert_late(self, stream_id: str, events: Sequence[NewEvent], position: int) -> None:
        """Tests: a first commit of ``stream_id`` that becomes visible only now although its
        position is old (a slow writer whose position was taken long ago)."""
        with self._lock:
            if self._streams.get(stream_id):
                raise ConcurrencyConflict(stream_id, 0, self._streams[stream_id][-1][
                    "last_version"])
            envs = build_envelopes(self.service, stream_id, 0, events, CommitMeta(),
                                   self.clock, position)
            doc = {"stream_id": stream_id, "first_version": 1, "last_version": len(envs),
                   "position": position, "published": False, "envelopes": tuple(envs),
                   "types": tuple(e.name for e in events)}
            self._commits[f"{stream_id}@1"] = doc
            self._streams[stream_id] = [doc]

    def existing(self, stream_ids: Sequence[str]) -> set[str]:
        return {s for s in stream_ids if self._streams.get(s)}

    def read_all(self, batch: int = 1000, after: int = -1) -> Iterator[Envelope]:
        with self._lock:
            docs = sorted((d for d in self._commits.values() if d["position"] > after),
                          key=lambda d: d["position"])
        for d in docs:
            yield from d["envelopes"]

    def unpublished(self, limit: int = 500) -> list[Commit]:
        held = {p["stream_id"] for p in self._parked.values()}
        docs = sorted(((k, d) for k, d in self._commits.items()
                       if not d["published"] and d["stream_id"] not in held),
                      key=lambda kd: kd[1]["position"])[:limit]
        return [Commit(k, d["stream_id"], d["position"], list(d["envelopes"])) for k, d in docs]

    def park(self, commit_id: str, stream_id: str, reason: str) -> None:
        self._parked[commit_id] = {"_id": commit_id, "stream_id": stream_id, "reason": reason,
                                   "at": time.time()}

    def parked(self) -> list[dict[str, Any]]:
        return [self._parked[k] for k in sorted(self._parked)]

    def release(self, commit_id: str) -> bool:
        return self._parked.pop(commit_id, None) is not None

    def mark_published(self, commit_ids: Sequence[str]) -> None:
        for cid in commit_ids:
            self._commits[cid]["published"] = True

    def mark_all_unpublished(self) -> int:
        n = sum(1 for d in self._commits.values() if d["published"])
        for d in self._commits.values():
            d["published"] = False
        return n

    def streams_with(self, event_name: str) -> list[str]:
        return sorted({d["stream_id"] for d in self._commits.values() if event_name in d["types"]})
