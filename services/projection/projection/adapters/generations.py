"""The directory's generations: pub_institutions_g<N> (and its counts), the active one named
by the pointer the read-side kernel keeps (shared.readside)."""

from __future__ import annotations

from pymongo.collection import Collection
from pymongo.database import Database

from projection.domain.counts import COUNTS
from projection.projector import INSTITUTIONS, PROJECTOR
from shared.readside.mongo import MongoReadStore
from shared.readside.store import physical


def collection_name(generation: int) -> str:
    return physical(INSTITUTIONS, generation)


def active_generation(db: Database) -> int:
    """The generation pages read and consumers write (1 before the first rebuild)."""
    return MongoReadStore(db).active(PROJECTOR)[0]


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
