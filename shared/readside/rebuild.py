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

from tqdm import tqdm

from shared.readside.apply import apply_events, catch_up
from shared.readside.projector import Event, Projector, now
from shared.readside.store import MemoryStore, ReadStore, stored_collections

log = logging.getLogger(__name__)
SETTLE = 2.0  # seconds: longer than a consumer's batch that read the old pointer
CHUNK = 2000


def rebuild(store: ReadStore, p: Projector, progress: bool = True, keep: bool = False,
            settle: float = SETTLE, chunk: int = CHUNK) -> int:
    """Build, switch to and return the next generation of ``p``."""
    active, _ = store.active(p)
    generation = max([active, *store.generations(p)]) + 1
    store.prepare(p, generation, indexes=False)  # bulk writes go faster without them
    started = now()
    built = _build(store, p, generation, progress, chunk)
    store.prepare(p, generation)  # indexed once, before catch-up and the pointer move
    mark = now()
    caught = catch_up(store, p, generation, started)
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
           chunk: int) -> int:
    """Fold the whole inbox in memory (the same apply as live consumption, on the in-memory
    store), then write the new generation once, in bulk: every document, counter and cursor
    is inserted once instead of read and rewritten per batch."""
    memory = MemoryStore()
    memory.prepare(p, generation)
    bar = tqdm(total=store.inbox_size(p), disable=not progress, unit=" events",
               desc=f"rebuild {p.name}", file=sys.stderr)
    batch: list[Event] = []
    seen = 0
    with bar:
        for event in store.scan(p):
            batch.append(event)
            if len(batch) >= chunk:
                seen += _flush(memory, p, generation, batch, bar)
        seen += _flush(memory, p, generation, batch, bar)
        bar.set_description(f"rebuild {p.name}: writing")
        for name in stored_collections(p):
            store.fill(p, generation, name, memory.all_docs(p, generation, name))
    return seen


def _flush(store: ReadStore, p: Projector, generation: int, batch: list[Event],
           bar: tqdm) -> int:
    n = len(batch)
    if n:
        apply_events(store, p, generation, batch, keep=False)
        bar.update(n)
        batch.clear()
    return n
