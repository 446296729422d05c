"""The directory's generations: pub_institutions_g<N> (and its counts), the active one named
by the pointer the read-side kernel keeps (shared.readside)."""

from __future__ import annotations

import time

from pymongo.collection import Collection
from pymongo.database import Database

from projection.domain.counts import COUNTS
from projection.projector import INSTITUTIONS, PROJECTOR
from shared.readside.mongo import MongoReadStore
from shared.readside.store import physical


def collection_name(generation: int) -> str:
    return physical(INSTITUTIONS, generation)


POINTER_FRESH = 1.0  # seconds pages keep the pointer they read (a rebuild keeps the old
# generation for SETTLE = 2 s after switching, so a page never reads a dropped one)
_pointers: dict[str, tuple[float, int]] = {}


def active_generation(db: Database, fresh: bool = False) -> int:
    """The generation pages read (1 before the first rebuild); read at most once every
    POINTER_FRESH seconds per database and process, not once or more per request
    (``fresh``: read it now)."""
    seen = _pointers.get(db.name)
    if not fresh and seen is not None and time.monotonic() - seen[0] < POINTER_FRESH:
        return seen[1]
    generation = MongoReadStore(db).active(PROJECTOR)[0]
    _pointers[db.name] = (time.monotonic(), generation)
    return generation


def active_collection(db: Database) -> Collection:
    return db[collection_name(active_generation(db))]


def counts_collection(db: Database) -> Collection:
    """Counts per facet of the active generation ({_id: count_key, n})."""
    return collection_of(db, COUNTS)


def collection_of(db: Database, logical: str) -> Collection:
    """One of the directory's collections in the active generation."""
    return db[physical(logical, active_generation(db))]


def existing(db: Database) -> list[int]:
    """Generations that have a collection, ascending."""
    return MongoReadStore(db).generations(PROJECTOR)
