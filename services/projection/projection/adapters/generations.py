"""Read-model generations: pub_institutions_g<N>, the active one named in proj_meta.

MongoDB's rename is a no-op on nx-27017, so a rebuild writes a new collection and moves a
pointer (one single-document write, hence atomic) instead of swapping collection names.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from pymongo.collection import Collection
from pymongo.database import Database

PREFIX = "pub_institutions_g"
META = "proj_meta"
POINTER_TTL = 1.0  # seconds a consumer may keep using a stale pointer
INDEXED = ("uscc", "name", "filing_status", "district_code", "operator_type")
_NAME = re.compile(rf"^{PREFIX}(\d+)$")


def collection_name(generation: int) -> str:
    return f"{PREFIX}{generation}"


def active_generation(db: Database) -> int:
    """The generation pages read and consumers write (1 before the first rebuild)."""
    doc = db[META].find_one({"_id": "active"})
    return int(doc["generation"]) if doc else 1


def active_collection(db: Database) -> Collection:
    return db[collection_name(active_generation(db))]


def switch(db: Database, generation: int) -> None:
    """Point readers and consumers at ``generation``."""
    db[META].update_one({"_id": "active"}, {"$set": {"generation": generation}}, upsert=True)


def existing(db: Database) -> list[int]:
    """Generations that have a collection, ascending."""
    found = (_NAME.match(n) for n in db.list_collection_names())
    return sorted(int(m.group(1)) for m in found if m)


def ensure_indexes(coll: Collection) -> None:
    for key in INDEXED:  # one single-field index per filter and sort key
        coll.create_index(key)


def drop_except(db: Database, keep: int) -> list[int]:
    """Drop every generation but ``keep``; return the dropped ones."""
    dropped = [n for n in existing(db) if n != keep]
    for n in dropped:
        db.drop_collection(collection_name(n))
    return dropped


class ActivePointer:
    """The active collection, re-read at most every ``ttl`` seconds."""

    def __init__(self, db: Database, ttl: float = POINTER_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db, self.ttl, self.clock = db, ttl, clock
        self._cached: tuple[float, Collection] | None = None

    def collection(self) -> Collection:
        now = self.clock()
        if self._cached is None or now - self._cached[0] >= self.ttl:
            self._cached = (now, active_collection(self.db))
        return self._cached[1]
