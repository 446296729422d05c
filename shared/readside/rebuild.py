"""Blue/green rebuild of one projection from its inbox.

The next generation is filled while consumers keep writing the active one: the inbox is read
in stream/version order, folded in memory and written in bulk, through the same apply as live
consumption, so counters are counted afresh. A catch-up pass folds what arrived meanwhile,
then one single-document write moves the pointer. Consumers notice the new generation on
their next batch (or idle tick), fold what they applied to the old one after the catch-up
(the pointer records since when), and carry on. After ``settle`` the old ones are dropped.
"""

from __future__ import annotations

import logging
import sys
import time
from concurrent.futures import Future

from tqdm import tqdm

from shared.readside.apply import apply_events, catch_up
from shared.readside.projector import Doc, Event, Projector, now
from shared.readside.store import (
    Cursor,
    MemoryStore,
    ReadStore,
    cursor_collection,
    later,
    stored_collections,
)

log = logging.getLogger(__name__)
SETTLE = 3.0  # seconds: longer than a consumer keeps a pointer (1 s) plus a batch that read the
# old one (a batch still later recreates collections of the dropped generation: only ever
# read by no one, dropped by the next rebuild; its events reach the new one by catch-up)
CHUNK = 2000


def rebuild(store: ReadStore, p: Projector, progress: bool = True, keep: bool = False,
            settle: float = SETTLE, chunk: int = CHUNK) -> int:
    """Build, switch to and return the next generation of ``p``."""
    active, _ = store.active(p)
    generation = max([active, *store.generations(p)]) + 1
    store.prepare(p, generation, indexes=False)  # bulk writes go faster without them
    started = now()
    built, cursors = _build(store, p, generation, progress, chunk)
    store.prepare(p, generation)  # indexed once, before catch-up and the pointer move
    mark = now()
    caught = catch_up(store, p, generation, started, cursors=cursors)
    store.switch(p, generation, mark)
    if settle:
        time.sleep(settle)
    dropped = [] if keep else [g for g in store.generations(p) if g != generation]
    for g in dropped:
        store.drop(p, g)
    log.info("%s: generation %d active (%d events, %d caught up), dropped %s",
             p.name, generation, built, caught, dropped)
    return generation


def _build(store: ReadStore, p: Projector, generation: int, progress: bool,
           chunk: int) -> tuple[int, dict[str, Cursor]]:
    """Fold the whole inbox in memory (the same apply as live consumption, on the in-memory
    store) and write the new generation in bulk: every document and cursor is written once
    per chunk it changed in (with the inbox in stream order, once), counters once at the end,
    instead of read and rewritten per batch. A chunk's documents are written while the next
    chunk is read and folded (the server writes while this process folds). Returns the
    events folded and the cursors written."""
    memory = MemoryStore(copies=False)
    memory.prepare(p, generation)
    bar = tqdm(total=None, disable=not progress, unit=" events",
               desc=f"rebuild {p.name}", file=sys.stderr)
    # the total for the bar is counted while the first events are read and folded
    total = later(lambda: store.inbox_size(p)) if progress else None
    streamed = [c for c in stored_collections(p) if c not in p.counters]
    writing: Future[None] | None = None
    written: set[tuple[str, str]] = set()
    batch: list[Event] = []
    seen = 0
    with bar:
        for event in store.scan(p):
            if total is not None and total.done():
                bar.total, total = total.result(), None
                bar.refresh()
            if len(batch) >= chunk and event.stream != batch[-1].stream:
                seen += _flush(memory, p, generation, batch, bar)
                writing = _write_out(store, memory, p, generation, streamed, writing, written)
            batch.append(event)
        seen += _flush(memory, p, generation, batch, bar)
        if total is not None:
            bar.total = total.result()
        bar.set_description(f"rebuild {p.name}: writing")
        writing = _write_out(store, memory, p, generation, streamed, writing, written)
        if writing is not None:
            writing.result()
        for name in p.counters:
            store.fill(p, generation, name, memory.all_docs(p, generation, name))
    cursor_docs = memory.all_docs(p, generation, cursor_collection(p))
    return seen, {d["_id"]: (int(d["v"]), int(d.get("ahead", 0))) for d in cursor_docs}


def _write_out(store: ReadStore, memory: MemoryStore, p: Projector, generation: int,
               collections: list[str], previous: Future[None] | None,
               written: set[tuple[str, str]]) -> Future[None]:
    """Start writing what the last chunks changed, after the previous such write (a
    document changed again is replaced, in order; one written first is inserted, which the
    stand-in does faster than an upsert)."""
    first: dict[str, list[Doc]] = {}
    again: dict[str, list[Doc]] = {}
    for name in collections:
        for doc in memory.take_changed(p, generation, name):
            key = (name, str(doc["_id"]))
            (again if key in written else first).setdefault(name, []).append(doc)
            written.add(key)
    if previous is not None:
        previous.result()

    def write() -> None:
        for name, docs in first.items():
            store.fill(p, generation, name, docs)
        for name, docs in again.items():
            store.fill(p, generation, name, docs, replace=True)
    return later(write)


def _flush(store: ReadStore, p: Projector, generation: int, batch: list[Event],
           bar: tqdm) -> int:
    n = len(batch)
    if n:
        apply_events(store, p, generation, batch, keep=False)
        bar.update(n)
        batch.clear()
    return n
