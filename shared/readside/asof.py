"""Time travel for any projection: its documents as they stood at the end of a past day
(Beijing time), folded from its inbox by the same apply as live consumption, keeping only the
events committed by then. Nothing is copied from pages: a penalty published later is absent,
one withdrawn later is still there.

Each (projection, day) is folded once into its own database (``<db>_asof``, generation =
YYYYMMDD) with the projection's indexes, and read from there afterwards. A day that ended less
than ``SETTLED`` ago may still have events in flight to the inbox: it is folded again on every
read until it has settled, and only then kept.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, time, timedelta

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.clock import CHINA_TZ
from shared.readside.apply import apply_events
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Event, Projector
from shared.readside.store import MemoryStore, stored_collections

log = logging.getLogger(__name__)


class Busy(RuntimeError):
    """Another day is being folded in this process: the caller answers "try again shortly"
    instead of queueing (a client asking for many days cannot starve the live pages)."""


BUILT = "asof_built"
SETTLED = timedelta(minutes=15)
CHUNK = 2000
WAIT = 2.0  # seconds a request waits for another fold before it is told to come back
_lock = threading.Lock()


def day_end(day: date) -> datetime:
    """The last moment of ``day`` in Beijing, as an aware UTC datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), CHINA_TZ).astimezone(UTC) - \
        timedelta(microseconds=1)


def generation_of(day: date) -> int:
    return int(day.strftime("%Y%m%d"))


def database_of(db: Database) -> Database:
    return db.client[f"{db.name}_asof"]


def collection(db: Database, p: Projector, logical: str, day: date,
               now: datetime | None = None) -> Collection:
    """``logical`` of ``p`` as it stood at the end of ``day``; folded on first use."""
    target = MongoReadStore(database_of(db))
    gen, marker = generation_of(day), f"{p.name}:{generation_of(day)}"
    settled = (now or datetime.now(UTC)) - day_end(day) > SETTLED
    if not settled or target.db[BUILT].find_one({"_id": marker}) is None:
        # one fold per process at a time; a request that finds another fold running is told
        # to come back (Busy) rather than holding a web thread in a queue
        if not _lock.acquire(timeout=WAIT):
            raise Busy(f"{p.name} as of {day.isoformat()}")
        try:
            if not settled or target.db[BUILT].find_one({"_id": marker}) is None:
                fold(MongoReadStore(db), target, p, day, fresh=not settled)
                if settled:
                    try:
                        target.db[BUILT].insert_one({"_id": marker,
                                                     "at": datetime.now(UTC).isoformat()})
                    except DuplicateKeyError:
                        pass  # another worker finished the same fold
        finally:
            _lock.release()
    return target.collection(p, logical, gen)


def fold(source: MongoReadStore, target: MongoReadStore, p: Projector, day: date,
         fresh: bool = False) -> int:
    """Fold the events of ``p``'s inbox committed by the end of ``day`` in memory and write
    the documents to ``target`` under the day's generation; the number of events folded."""
    gen, until = generation_of(day), day_end(day)
    if fresh:
        for name in stored_collections(p):
            target.db.drop_collection(target.collection(p, name, gen).name)
    memory = MemoryStore()
    memory.prepare(p, gen)
    batch: list[Event] = []
    folded = 0
    for event in source.scan(p):
        if event.time <= until:
            batch.append(event)
        if len(batch) >= CHUNK:
            folded += len(batch)
            apply_events(memory, p, gen, batch, keep=False)
            batch = []
    if batch:
        folded += len(batch)
        apply_events(memory, p, gen, batch, keep=False)
    target.prepare(p, gen)
    for name in stored_collections(p):
        target.fill(p, gen, name, memory.all_docs(p, gen, name))
    log.info("%s as of %s: %d events folded", p.name, day.isoformat(), folded)
    return folded
