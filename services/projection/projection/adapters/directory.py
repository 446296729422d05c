"""Queries of the public directory against the active read-model generation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from pymongo.database import Database

from projection.adapters import generations
from projection.adapters.inbox import MongoInbox
from projection.domain.directory import DirectoryQuery
from projection.domain.fold import Document, as_of

ORDER = [("name", 1), ("uscc", 1)]


def mongo_filter(query: DirectoryQuery) -> dict[str, Any]:
    """The MongoDB filter for a directory query (inside nx-27017's safe subset)."""
    found: dict[str, Any] = {}
    if query.filing_status():
        found["filing_status"] = query.filing_status()
    if query.district:
        found["district_code"] = query.district
    if query.operator_type:
        found["operator_type"] = query.operator_type
    if query.q:  # a string $regex with $options: nx-27017 rejects BSON regex values
        found["name"] = {"$regex": re.escape(query.q), "$options": "i"}
    return found


class PublicDirectory:
    """Read-only access for pages and open data."""

    def __init__(self, db_factory: Callable[[], Database]) -> None:
        self._db = db_factory

    def page(self, query: DirectoryQuery, page: int, per_page: int) -> tuple[int, list[dict]]:
        """The total number of matches and the rows of one page."""
        coll, found = generations.active_collection(self._db()), mongo_filter(query)
        # aggregate $count: count_documents costs seconds on nx-27017
        counted = list(coll.aggregate([{"$match": found}, {"$count": "n"}]))
        total = int(counted[0]["n"]) if counted else 0
        rows = coll.find(found, {"history": 0}).sort(ORDER).skip((page - 1) * per_page)
        return total, list(rows.limit(per_page))

    def all(self, query: DirectoryQuery) -> Iterator[dict]:
        """Every match, in directory order."""
        coll = generations.active_collection(self._db())
        return iter(coll.find(mongo_filter(query), {"history": 0}).sort(ORDER))

    def get(self, uscc: str) -> Document | None:
        """The current document of one institution."""
        return generations.active_collection(self._db()).find_one({"_id": uscc})

    def as_of(self, uscc: str, day: date) -> Document | None:
        """The document as it stood at the end of ``day``, replayed from the inbox."""
        doc = as_of(uscc, MongoInbox(self._db()).events_of(uscc), day)
        return {"_id": uscc, **doc} if doc else None
