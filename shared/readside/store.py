"""The storage port of the read side, and its in-memory adapter (tests, benchmarks).

A projection's documents live in generations: logical collection ``c`` is stored as
``c_g<N>``, beside the stream cursors of that generation. A pointer names the generation pages
read and consumers write; a rebuild fills the next one and moves the pointer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from shared.readside.projector import Doc, Event, Increments, Projector, now

META = "proj_meta"


T = TypeVar("T")
R = TypeVar("R")
# independent commands of one batch (reads or writes of different collections) go to the
# server together: on a busy server each sequential round trip waits in its queue
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readside")


def each(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(x) for x in items]``, run at the same time when there are several; the first
    failure is raised after all have finished (so nothing is left running)."""
    if len(items) < 2:
        return [fn(x) for x in items]
    futures = [_POOL.submit(fn, x) for x in items]
    errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error
    return [f.result() for f in futures]


def later(fn: Callable[[], R]) -> Future[R]:
    """Start ``fn`` now on the pool; ``.result()`` waits for it (and raises its error)."""
    return _POOL.submit(fn)


def physical(collection: str, generation: int) -> str:
    """The stored name of a logical collection in one generation."""
    return f"{collection}_g{generation}"


def cursor_collection(p: Projector) -> str:
    return f"{p.name}_cursors"


def quarantine_collection(p: Projector) -> str:
    """Per generation: the events its fold could not take (apply.py)."""
    return f"{p.name}_quarantine"


def stored_collections(p: Projector) -> list[str]:
    """Every logical collection a generation of ``p`` has, cursors and quarantine included."""
    return [*p.collections, cursor_collection(p), quarantine_collection(p)]


def pointer_id(p: Projector) -> str:
    return f"active:{p.name}"


def skey(stream: str, version: int) -> str:
    """One sortable string per event: a stream's events sort together, by version."""
    return f"{stream}:{version:012d}"


Cursor = tuple[int, int]  # (last version folded, highest version held for a gap; 0: none)


def generations_among(p: Projector, names: Iterable[str]) -> list[int]:
    """The generations of ``p`` that have a collection among ``names``, ascending."""
    mine = set(stored_collections(p))
    found = set()
    for name in names:
        base, _, gen = name.rpartition("_g")
        if base in mine and gen.isdigit():
            found.add(int(gen))
    return sorted(found)


@dataclass(frozen=True)
class Write:
    """One whole document to store. ``expected`` is the `_v` it had when read (None: it did
    not exist); a versioned write only lands on that, so two writers cannot both land."""

    collection: str
    doc_id: str
    doc: Doc
    expected: int | None
    versioned: bool


class ReadStore(Protocol):
    """Where projections keep their inbox, cursors, documents and generation pointer."""

    def prepare(self, p: Projector, generation: int, indexes: bool = True) -> None: ...
    def keep(self, p: Projector, events: Sequence[Event]) -> None: ...
    def events_after(self, p: Projector, after: Mapping[str, int]) -> dict[str, list[Event]]: ...
    def scan(self, p: Projector) -> Iterator[Event]: ...
    def inbox_size(self, p: Projector) -> int: ...
    def streams_since(self, p: Projector, moment: datetime) -> dict[str, int]:
        """The streams with events kept since ``moment``, each with the highest version
        kept since then."""
    def cursors(self, p: Projector, generation: int,
                streams: Iterable[str]) -> dict[str, Cursor]: ...
    def set_cursors(self, p: Projector, generation: int,
                    cursors: Mapping[str, Cursor]) -> None: ...
    def find(self, p: Projector, generation: int, collection: str,
             ids: Iterable[str]) -> dict[str, Doc]: ...
    def write(self, p: Projector, generation: int, writes: Sequence[Write]) -> None: ...
    def increment(self, p: Projector, generation: int, increments: Increments) -> None: ...
    def all_docs(self, p: Projector, generation: int, collection: str) -> Iterator[Doc]: ...
    def reset(self, p: Projector, generation: int, collection: str,
              docs: Sequence[Doc]) -> None: ...
    def fill(self, p: Projector, generation: int, collection: str,
             docs: Iterable[Doc], replace: bool = False) -> None: ...
    def active(self, p: Projector) -> tuple[int, datetime | None]: ...
    def switch(self, p: Projector, generation: int, since: datetime) -> None: ...
    def generations(self, p: Projector) -> list[int]: ...
    def drop(self, p: Projector, generation: int) -> None: ...


class MemoryStore:
    """ReadStore in dictionaries; documents are copied in and out like a database would,
    unless ``copies`` is false (a rebuild's scratch store: folds never change the documents
    they are given, so nothing needs protecting from them)."""

    def __init__(self, copies: bool = True) -> None:
        self._copy = copy.deepcopy if copies else _same
        self.colls: dict[str, dict[str, Doc]] = {}
        self.changed: dict[str, set[str]] = {}  # since take_changed: collection -> ids
        self.received: dict[str, dict[str, tuple[datetime, Event]]] = {}
        self.pointers: dict[str, tuple[int, datetime | None]] = {}

    def _coll(self, name: str) -> dict[str, Doc]:
        return self.colls.setdefault(name, {})

    def prepare(self, p: Projector, generation: int, indexes: bool = True) -> None:
        for name in stored_collections(p):
            self._coll(physical(name, generation))

    def keep(self, p: Projector, events: Sequence[Event]) -> None:
        inbox = self.received.setdefault(p.inbox, {})
        for e in events:
            inbox.setdefault(e.id, (now(), e))

    def _inbox(self, p: Projector) -> list[Event]:
        kept = self.received.get(p.inbox, {}).values()
        return sorted((e for _, e in kept), key=lambda e: skey(e.stream, e.version))

    def events_after(self, p: Projector, after: Mapping[str, int]) -> dict[str, list[Event]]:
        found: dict[str, list[Event]] = {}
        for e in self._inbox(p):
            if e.stream in after and e.version > after[e.stream]:
                found.setdefault(e.stream, []).append(e)
        return found

    def scan(self, p: Projector) -> Iterator[Event]:
        return iter(self._inbox(p))

    def inbox_size(self, p: Projector) -> int:
        return len(self.received.get(p.inbox, {}))

    def streams_since(self, p: Projector, moment: datetime) -> dict[str, int]:
        latest: dict[str, int] = {}
        for at, e in self.received.get(p.inbox, {}).values():
            if at >= moment:
                latest[e.stream] = max(latest.get(e.stream, 0), e.version)
        return latest

    def cursors(self, p: Projector, generation: int,
                streams: Iterable[str]) -> dict[str, Cursor]:
        coll = self._coll(physical(cursor_collection(p), generation))
        return {s: (int(coll[s]["v"]), int(coll[s]["ahead"])) for s in streams if s in coll}

    def set_cursors(self, p: Projector, generation: int,
                    cursors: Mapping[str, Cursor]) -> None:
        coll = self._coll(physical(cursor_collection(p), generation))
        for stream, (version, ahead) in cursors.items():
            old = int(coll.get(stream, {}).get("v", 0))
            coll[stream] = {"_id": stream, "v": max(old, version), "ahead": ahead}
            self._changed(physical(cursor_collection(p), generation), stream)

    def find(self, p: Projector, generation: int, collection: str,
             ids: Iterable[str]) -> dict[str, Doc]:
        coll = self._coll(physical(collection, generation))
        return {i: self._copy(coll[i]) for i in ids if i in coll}

    def write(self, p: Projector, generation: int, writes: Sequence[Write]) -> None:
        for w in writes:
            coll = self._coll(physical(w.collection, generation))
            current = coll.get(w.doc_id)
            if w.versioned and (current is None) != (w.expected is None):
                continue  # another writer got there first
            if w.versioned and current is not None and current.get("_v") != w.expected:
                continue
            coll[w.doc_id] = self._copy({"_id": w.doc_id, **w.doc})
            self._changed(physical(w.collection, generation), w.doc_id)

    def increment(self, p: Projector, generation: int, increments: Increments) -> None:
        for (collection, key), n in increments.items():
            coll = self._coll(physical(collection, generation))
            doc = coll.setdefault(key, {"_id": key, "n": 0})
            doc["n"] += n

    def all_docs(self, p: Projector, generation: int, collection: str) -> Iterator[Doc]:
        coll = self._coll(physical(collection, generation))
        return iter([self._copy(d) for d in coll.values()])

    def reset(self, p: Projector, generation: int, collection: str,
              docs: Sequence[Doc]) -> None:
        self.colls[physical(collection, generation)] = {d["_id"]: self._copy(d) for d in docs}

    def fill(self, p: Projector, generation: int, collection: str,
             docs: Iterable[Doc], replace: bool = False) -> None:
        coll = self._coll(physical(collection, generation))
        for d in docs:
            coll[d["_id"]] = self._copy(d)
            self._changed(physical(collection, generation), d["_id"])

    def _changed(self, physical_name: str, doc_id: str) -> None:
        self.changed.setdefault(physical_name, set()).add(doc_id)

    def take_changed(self, p: Projector, generation: int, collection: str) -> list[Doc]:
        """The documents of a collection written since the last call (as stored now)."""
        name = physical(collection, generation)
        coll = self._coll(name)
        return [coll[i] for i in sorted(self.changed.pop(name, ())) if i in coll]

    def active(self, p: Projector) -> tuple[int, datetime | None]:
        return self.pointers.get(pointer_id(p), (1, None))

    def switch(self, p: Projector, generation: int, since: datetime) -> None:
        self.pointers[pointer_id(p)] = (generation, since)

    def generations(self, p: Projector) -> list[int]:
        return generations_among(p, self.colls)

    def drop(self, p: Projector, generation: int) -> None:
        for name in stored_collections(p):
            self.colls.pop(physical(name, generation), None)


def _same(doc: T) -> T:
    return doc
