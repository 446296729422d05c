"""Fold a batch of events into a generation: per stream in memory, then bulk writes.

Order of effects: inbox, documents, counters, cursors (the caller stores offsets last); reads
and writes of different collections within one step go to the server together, and the inbox
write overlaps the reading of the documents (the documents are written only after it). A
redelivered version is at or below its stream's cursor and changes nothing. A version ahead
of a missing one is filled from the inbox, or held there until the missing one arrives. A
crash after the documents but before the cursors is safe too: a versioned document's `_v`
says it already holds that version, and counters are recounted when a consumer starts.

An event the projection cannot fold (its targets or fold raise: bad data, a bug) is poison:
folding is pure, so trying again cannot help. It is quarantined with the reason (the
``<projection>_quarantine`` collection, the Outcome, the dead-letter topic), its stream's
cursor stays just before it and every later version of that stream waits in the inbox
(per-stream order), while every other stream goes on. Each later batch of that stream tries
it again, so a fixed projection moves on by itself.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared import metrics
from shared.readside.projector import Doc, DocKey, Event, Projector
from shared.readside.store import (
    Cursor,
    ReadStore,
    Write,
    each,
    later,
    quarantine_collection,
    skey,
)

log = logging.getLogger(__name__)
MARGIN = timedelta(seconds=60)  # catch-up looks this far before its mark (clock skew, writes
# in flight): re-folding an applied event is a no-op, so a wide margin only costs a query


@dataclass(frozen=True)
class Outcome:
    """What one batch did: versions folded, redeliveries ignored, versions held for a gap."""

    applied: int = 0
    duplicates: int = 0
    held: int = 0
    poisoned: tuple[tuple[Event, str], ...] = ()


def apply_events(store: ReadStore, p: Projector, generation: int, events: Sequence[Event],
                 keep: bool = True) -> Outcome:
    """Keep ``events`` in the inbox (unless they come from it) and fold them in.

    Versions at or below their stream's cursor are redeliveries: neither kept nor folded.
    """
    by_stream: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_stream[e.stream].append(e)
    cursors = store.cursors(p, generation, by_stream)
    new = [e for e in events if e.version > cursors.get(e.stream, (0, 0))[0]] if keep else []
    # the inbox write goes out while the documents are read; nothing is written before it
    # has been stored (a batch that fails anywhere is read again and kept again: harmless)
    kept = later(lambda: store.keep(p, new)) if new else None
    try:
        runs, gaps, duplicates = _runs(by_stream, cursors)
        if gaps and kept is not None:
            kept.result()  # filling a gap reads the inbox, this batch's versions included
        ahead, held = _fill(store, p, gaps, runs)
        _report(p, duplicates, held)
        poisoned: dict[str, tuple[Event, str]] = {}
        if runs or ahead:
            poisoned = _write(store, p, generation, runs,
                              {s: cursors.get(s, (0, 0))[0] for s in {*ahead, *runs}}, ahead,
                              before_writes=kept.result if kept else None)
        elif kept:
            kept.result()
    finally:
        if kept is not None:
            kept.exception()  # never leave it running: wait for it whatever happened
    return Outcome(sum(map(len, runs.values())), duplicates, held, tuple(poisoned.values()))


def _runs(by_stream: Mapping[str, list[Event]], cursors: Mapping[str, Cursor]
          ) -> tuple[dict[str, list[Event]], dict[str, int], int]:
    """Per stream the versions to fold now; the streams to fill from the inbox (with their
    cursor); how many events were redeliveries."""
    runs: dict[str, list[Event]] = {}
    gaps: dict[str, int] = {}
    duplicates = 0
    for stream, evs in by_stream.items():
        seen, held_to = cursors.get(stream, (0, 0))
        fresh = sorted({e.version: e for e in evs if e.version > seen}.values(),
                       key=lambda e: e.version)
        duplicates += len(evs) - len(fresh)
        run = contiguous(fresh, seen)
        if len(run) == len(fresh) and held_to <= seen + len(run):
            runs[stream] = run
        elif fresh:  # a gap in the batch, or versions held from before: the inbox has all
            gaps[stream] = seen
    return runs, gaps, duplicates


def contiguous(events: Iterable[Event], seen: int) -> list[Event]:
    """The versions seen+1, seen+2, ... present in ``events`` (sorted by version)."""
    run = []
    for e in events:
        if e.version == seen + 1:
            run.append(e)
            seen += 1
        elif e.version > seen + 1:
            break
    return run


def _end(run: list[Event] | None, seen: int) -> int:
    return run[-1].version if run else seen


def _fill(store: ReadStore, p: Projector, gaps: Mapping[str, int],
          runs: dict[str, list[Event]]) -> tuple[dict[str, int], int]:
    """Runs of the streams with a gap, from the inbox; per such stream the highest version
    still held (0: none), and how many versions are held."""
    if not gaps:
        return {}, 0
    ahead, held = dict.fromkeys(gaps, 0), 0
    for stream, kept in store.events_after(p, gaps).items():
        run = contiguous(kept, gaps[stream])
        if run:
            runs[stream] = run
        if len(run) < len(kept):
            ahead[stream] = kept[-1].version
            held += len(kept) - len(run)
            log.warning("%s: %s waits for version %d", p.name, stream,
                        _end(run, gaps[stream]) + 1)
    return ahead, held


def _report(p: Projector, duplicates: int, held: int) -> None:
    if duplicates:
        metrics.EVENTS_DUPLICATE.labels(p.group).inc(duplicates)
    if held:
        metrics.EVENTS_GAP.labels(p.group).inc(held)


def _write(store: ReadStore, p: Projector, generation: int, runs: dict[str, list[Event]],
           seen: Mapping[str, int], ahead: dict[str, int],
           before_writes: Callable[[], object] | None = None
           ) -> dict[str, tuple[Event, str]]:
    """Fold, write documents and counters, then cursors; the poison events met (by stream).
    ``before_writes`` (waiting for the inbox write) is called once the documents are read
    and folded, before anything is written."""
    original, current, dirty, poisoned = _fold(store, p, generation, runs)
    if before_writes is not None:
        before_writes()
    for stream, (bad, _reason) in poisoned.items():  # the stream stops just before it
        ahead[stream] = max(ahead.get(stream, 0), runs[stream][-1].version)
        runs[stream] = [e for e in runs[stream] if e.version < bad.version]
    writes, increments = [], Counter[DocKey]()
    for key in dirty:
        old, new = original[key], current[key]
        versioned = key[0] in p.versioned
        expected = int(old.get("_v", 0)) if versioned and old is not None else None
        writes.append(Write(key[0], key[1], new, expected, versioned))
        increments.update(p.derive(key[0], old, new))
    if writes:
        store.write(p, generation, writes)
    if any(increments.values()):
        store.increment(p, generation, {k: n for k, n in increments.items() if n})
    cursors = {s: (run[-1].version, 0) for s, run in runs.items() if run}
    for stream, highest in ahead.items():
        cursors[stream] = (_end(runs.get(stream), seen[stream]), highest)
    store.set_cursors(p, generation, cursors)
    if poisoned:
        _quarantine(store, p, generation, poisoned)
    return poisoned


def _quarantine(store: ReadStore, p: Projector, generation: int,
                poisoned: Mapping[str, tuple[Event, str]]) -> None:
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    store.fill(p, generation, quarantine_collection(p), [
        {"_id": skey(e.stream, e.version), "stream": e.stream, "version": e.version,
         "type": e.type, "event_id": e.id, "reason": reason[:500], "at": at}
        for e, reason in poisoned.values()])
    metrics.EVENTS_QUARANTINED.labels(p.group).inc(len(poisoned))
    for e, reason in poisoned.values():
        log.error("%s: POISON %s v%d (%s) quarantined, its stream waits: %s", p.name,
                  e.stream, e.version, e.type, reason)


def quarantined(store: ReadStore, p: Projector) -> list[Doc]:
    """The poison events still blocking their stream in the active generation."""
    generation = store.active(p)[0]
    docs = list(store.all_docs(p, generation, quarantine_collection(p)))
    cursors = store.cursors(p, generation, {d["stream"] for d in docs})
    return sorted((d for d in docs if cursors.get(d["stream"], (0, 0))[0] < d["version"]),
                  key=lambda d: d["_id"])


def _fold(store: ReadStore, p: Projector, generation: int, runs: Mapping[str, list[Event]]
          ) -> tuple[dict[DocKey, Doc | None], dict[DocKey, Doc], list[DocKey],
                     dict[str, tuple[Event, str]]]:
    """(documents as read, as folded, keys changed in order, poison events by stream) for
    every run; a stream's events after its poison one are not folded."""
    taken = [e for run in runs.values() for e in run if e.type in p.event_types]
    poisoned: dict[str, tuple[Event, str]] = {}
    targets: dict[str, list[DocKey]] = {}
    for e in taken:
        if e.stream in poisoned:
            continue
        try:
            targets[e.id] = list(p.targets(e))
        except Exception as exc:  # noqa: BLE001 - poison: quarantined, never applied over
            poisoned[e.stream] = (e, f"targets: {type(exc).__name__}: {exc}")
    original = _load(store, p, generation, targets.values())
    current: dict[DocKey, Doc | None] = dict(original)
    dirty: dict[DocKey, None] = {}
    for e in taken:
        if e.stream in poisoned and e.version >= poisoned[e.stream][0].version:
            continue
        keys = targets[e.id]
        try:
            folded = p.fold({k: current[k] for k in keys}, e)
            stray = [key for key in folded if key not in current]
            if stray:
                raise ValueError(f"{p.name}: fold of {e.type} wrote {stray[0]}, not a target")
        except Exception as exc:  # noqa: BLE001 - poison: quarantined, never applied over
            poisoned[e.stream] = (e, f"fold: {type(exc).__name__}: {exc}")
            continue
        for key, doc in folded.items():
            old = current[key]
            if key[0] in p.versioned:
                if old is not None and int(old.get("_v", 0)) >= e.version:
                    continue  # written before a crash, the cursor was not
                doc = {**doc, "_v": e.version}
            current[key] = {k: v for k, v in doc.items() if k != "_id"}
            dirty[key] = None
    return original, current, list(dirty), poisoned  # type: ignore[return-value]


def _load(store: ReadStore, p: Projector, generation: int,
          targets: Iterable[list[DocKey]]) -> dict[DocKey, Doc | None]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for keys in targets:
        for collection, doc_id in keys:
            wanted[collection].add(doc_id)
    loaded: dict[DocKey, Doc | None] = {}
    items = list(wanted.items())
    for (collection, ids), found in zip(items, each(
            lambda item: store.find(p, generation, item[0], item[1]), items), strict=True):
        for doc_id in ids:
            doc = found.get(doc_id)
            loaded[(collection, doc_id)] = (
                {k: v for k, v in doc.items() if k != "_id"} if doc is not None else None)
    return loaded


def catch_up(store: ReadStore, p: Projector, generation: int, since: datetime,
             chunk: int = 2000, cursors: Mapping[str, Cursor] | None = None) -> int:
    """Fold into ``generation`` what the inbox received since ``since`` and it lacks.

    Only streams with a version kept since then above their cursor in ``generation`` are
    read from the inbox; ``cursors`` are the generation's, when the caller knows them (a
    rebuild that has just written them), else they are read."""
    latest = store.streams_since(p, since - MARGIN)
    streams = sorted(latest)
    applied = 0
    for start in range(0, len(streams), chunk):
        part = streams[start:start + chunk]
        known = cursors if cursors is not None else store.cursors(p, generation, part)
        behind = {s: known.get(s, (0, 0))[0] for s in part
                  if latest[s] > known.get(s, (0, 0))[0]}
        if not behind:
            continue
        pending = store.events_after(p, behind)
        events = [e for evs in pending.values() for e in evs]
        applied += apply_events(store, p, generation, events, keep=False).applied
    return applied


def recount(store: ReadStore, p: Projector, generation: int) -> None:
    """Set every counter of ``generation`` from its documents (counters drift only when a
    process dies between the document and the counter writes)."""
    if not p.counters:
        return
    totals = Counter[DocKey]()
    for collection in p.collections:
        if collection in p.counters:
            continue
        for doc in store.all_docs(p, generation, collection):
            totals.update(p.derive(collection, None, {k: v for k, v in doc.items()
                                                      if k != "_id"}))
    for counter in p.counters:
        docs = [{"_id": key, "n": n} for (c, key), n in sorted(totals.items()) if c == counter]
        store.reset(p, generation, counter, docs)


class Applier:
    """Applies batches to the active generation; on a new one, first catches it up.

    ``fresh_for``: seconds a pointer read serves later batches (0: read per batch). A batch
    that went to the old generation after a switch is not lost: on noticing the switch the
    applier folds what the inbox received since it into the new generation first."""

    def __init__(self, store: ReadStore, p: Projector, fresh_for: float = 0.0) -> None:
        self.store, self.p, self.fresh_for = store, p, fresh_for
        self.generation: int | None = None
        self._read_at = -math.inf

    def apply(self, events: Sequence[Event]) -> Outcome:
        generation = self._generation()
        return apply_events(self.store, self.p, generation, events)

    def _generation(self) -> int:
        if self.generation is not None and time.monotonic() - self._read_at < self.fresh_for:
            return self.generation
        generation, since = self.store.active(self.p)
        self._read_at = time.monotonic()
        if generation != self.generation:
            self.store.prepare(self.p, generation)
            if since is not None:  # a rebuild switched: fold what it may have missed
                catch_up(self.store, self.p, generation, since)
            if self.generation is None:
                recount(self.store, self.p, generation)
            self.generation = generation
        return generation

    def tick(self) -> None:
        """Idle: notice a switched generation without waiting for the next event."""
        self._generation()
