"""Queries of the public directory against the active read-model generation.

Every query is served by one single-field index, because nx-27017 uses nothing else (see
/work/shared/infra.md): a page is a range of one order field (projection.domain.listing),
already sorted, so skip and limit walk the index; a name search looks up one n-gram token in
the text index over ``search_keys`` (projection.domain.search) and confirms each candidate by
the exact substring test. An ordinary index over an array is no use here: nx-27017 compares
the whole array with the value and silently matches nothing. Totals come from the counts the
read model keeps (projection.domain.counts) and are counted on the order field while that
collection is empty. A generation written before these fields existed is read the old way
(filter and sort on the plain fields) until a rebuild replaces it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import islice
from typing import Any

from pymongo import TEXT
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import OperationFailure

from projection.adapters import generations
from projection.adapters.inbox import MongoInbox
from projection.domain import listing, search
from projection.domain.counts import count_key
from projection.domain.directory import DirectoryQuery
from projection.domain.fold import Document, as_of
from projection.domain.institution import INDEX_FIELDS
from shared.readside import asof

log = logging.getLogger(__name__)
ORDER = [("name", 1), ("uscc", 1)]  # directory order, as the legacy query sorts
NO_INDEX_FIELDS = dict.fromkeys(INDEX_FIELDS, 0)  # an institution's page: all but the index fields
HIDDEN = {"history": 0, **NO_INDEX_FIELDS}  # a directory row: no history either
FACETS = {"filing_status": 1, "district_code": 1, "operator_type": 1, "name": 1}
BATCH = 1000  # rows per batch of a full download


def ensure_read_indexes(coll: Collection) -> None:
    """The indexes the directory's queries need (idempotent; cheap when they exist)."""
    for field in listing.FIELDS:
        coll.create_index(field)
    try:
        coll.create_index([("search_keys", TEXT)], default_language="none")
    except OperationFailure as exc:  # nx-27017 fails to create a text index a second time
        if "constraint failed" not in str(exc):  # (and lists none): any other error is real
            raise


def mongo_filter(query: DirectoryQuery) -> dict[str, Any]:
    """The legacy filter for a directory query (the plain fields; a regex for the name)."""
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


def _range(query: DirectoryQuery) -> tuple[str, dict[str, Any]]:
    """The order field of a query without a name search and the filter selecting its rows."""
    field, low, high = listing.query_range(query.filing_status(), query.district,
                                           query.operator_type)
    return field, {field: {"$gte": low, "$lt": high}}


def _matches(doc: dict[str, Any], query: DirectoryQuery) -> bool:
    """The facet filters of a query, tested on a search candidate."""
    return ((not query.filing_status() or doc.get("filing_status") == query.filing_status())
            and (not query.district or doc.get("district_code") == query.district)
            and (not query.operator_type or doc.get("operator_type") == query.operator_type)
            and search.contains(doc.get("name"), query.q or ""))


class PublicDirectory:
    """Read-only access for pages and open data."""

    def __init__(self, db_factory: Callable[[], Database]) -> None:
        self._db = db_factory
        self._indexed: dict[str, bool] = {}  # database.collection -> holds the index fields

    def _active(self) -> tuple[Database, Collection, bool]:
        """The database, the active collection and whether its documents have index fields."""
        db = self._db()
        coll = self._collection(db, "institutions")
        name = coll.full_name
        if name not in self._indexed:
            ensure_read_indexes(coll)
            stale = coll.find_one({listing.FIELDS[-1]: None}, {"_id": 1}) is not None
            if stale:
                log.warning("%s predates the directory's index fields: reading it the slow "
                            "way until `python -m projection.rebuild`", name)
            self._indexed[name] = not stale
        return db, coll, self._indexed[name]

    @staticmethod
    def _collection(db: Database, logical: str) -> Collection:
        """The active generation's collection; on a request with ``?as_of=``, as it stood at
        the end of that day (folded from the directory's events)."""
        from projection.domain.counts import COUNTS
        from projection.projector import INSTITUTIONS, PROJECTOR
        from projection.web.asof import requested

        day = requested()
        if day is not None:
            return asof.collection(db, PROJECTOR, COUNTS if logical == "counts"
                                   else INSTITUTIONS, day)
        if logical == "counts":
            return generations.counts_collection(db)
        return generations.active_collection(db)

    def page(self, query: DirectoryQuery, page: int, per_page: int) -> tuple[int, list[dict]]:
        """The total number of matches and the rows of one page."""
        db, coll, indexed = self._active()
        skip = (page - 1) * per_page
        if not indexed:
            return self._legacy_page(coll, query, skip, per_page)
        key = search.lookup_key(query.q or "")
        if key is not None:
            ids = self._search(coll, query, key)
            return len(ids), self._by_ids(coll, ids[skip:skip + per_page])
        field, found = _range(query)
        return self._total(db, coll, query, found), _page(coll, field, found, skip, per_page)

    def all(self, query: DirectoryQuery, fields: Sequence[str] = ()) -> Iterator[dict]:
        """Every match, in directory order, fetched in batches as the caller reads; only
        ``fields`` of each if given (a download needs a few: cheaper to read). nx-27017 gives
        booleans as 0 and 1 in such rows (aggregation $project): ask for no boolean field."""
        _, coll, indexed = self._active()
        if not indexed:
            return iter(coll.find(mongo_filter(query), HIDDEN).sort(ORDER))
        key = search.lookup_key(query.q or "")
        if key is not None:
            ids = self._search(coll, query, key)
            return (doc for start in range(0, len(ids), BATCH)
                    for doc in self._by_ids(coll, ids[start:start + BATCH]))
        return _walk(coll, *_range(query), fields)

    def get(self, uscc: str) -> Document | None:
        """The current document of one institution."""
        return generations.active_collection(self._db()).find_one({"_id": uscc}, NO_INDEX_FIELDS)

    def as_of(self, uscc: str, day: date) -> Document | None:
        """The document as it stood at the end of ``day``, replayed from the inbox."""
        doc = as_of(uscc, MongoInbox(self._db()).events_of(uscc), day)
        if not doc:
            return None
        return {"_id": uscc, **{k: v for k, v in doc.items() if k not in NO_INDEX_FIELDS}}

    def _total(self, db: Database, coll: Collection, query: DirectoryQuery,
               found: dict[str, Any]) -> int:
        """The kept count of a query, or its rows counted while no counts are kept."""
        counts = self._collection(db, "counts")  # kept per generation
        kept = counts.find_one({"_id": count_key(query.filing_status(), query.district,
                                                 query.operator_type)})
        if kept is not None:
            return int(kept["n"])
        if counts.find_one({"_id": count_key(None, None, None)}) is not None:
            return 0  # counts are kept (every document counts there) and none for this key
        # aggregate $count: count_documents costs seconds on nx-27017
        counted = list(coll.aggregate([{"$match": found}, {"$count": "n"}]))
        return int(counted[0]["n"]) if counted else 0

    @staticmethod
    def _search(coll: Collection, query: DirectoryQuery, key: str) -> list[str]:
        """The ids of every match of a name search looked up under ``key``, in order."""
        candidates = coll.find({"$text": {"$search": search.token(key)}}, FACETS)
        found = [(listing.sort_key(d.get("name"), d["_id"]), d["_id"])
                 for d in candidates if _matches(d, query)]
        return [uscc for _, uscc in sorted(found)]

    @staticmethod
    def _by_ids(coll: Collection, ids: list[str]) -> list[dict]:
        """The documents of ``ids``, in that order."""
        docs = {d["_id"]: d for d in coll.find({"_id": {"$in": ids}}, HIDDEN)} if ids else {}
        return [docs[i] for i in ids if i in docs]

    @staticmethod
    def _legacy_page(coll: Collection, query: DirectoryQuery, skip: int,
                     per_page: int) -> tuple[int, list[dict]]:
        """A page the old way: filter and sort on the plain fields, counted per request."""
        found = mongo_filter(query)
        counted = list(coll.aggregate([{"$match": found}, {"$count": "n"}]))
        total = int(counted[0]["n"]) if counted else 0
        rows = coll.find(found, HIDDEN).sort(ORDER).skip(skip).limit(per_page)
        return total, list(rows)


def _page(coll: Collection, field: str, found: dict[str, Any], skip: int,
          per_page: int) -> list[dict]:
    """One page of an order-field range. A later page first finds its first key by skipping
    over the index alone (only the order field is read: MongoDB answers from the index
    without loading a document), then reads the page from that key on."""
    if skip:
        first = list(coll.find(found, {field: 1, "_id": 0}).sort(field, 1).skip(skip).limit(1))
        if not first:
            return []
        found = {field: {**found[field], "$gte": first[0][field]}}
    return list(coll.find(found, HIDDEN).sort(field, 1).limit(per_page))


def _walk(coll: Collection, field: str, found: dict[str, Any],
          fields: Sequence[str]) -> Iterator[dict]:
    """The rows of an order-field range through one cursor read BATCH rows at a time, the
    next batch already being read while the caller works through the current one."""
    if fields:  # $project in a pipeline: nx-27017 reads the fields in SQL, not whole documents
        cursor: Any = coll.aggregate([{"$match": found}, {"$sort": {field: 1}},
                                      {"$project": dict.fromkeys(fields, 1)}], batchSize=BATCH)
    else:
        cursor = coll.find(found, HIDDEN).sort(field, 1).batch_size(BATCH)
    with cursor, ThreadPoolExecutor(1, thread_name_prefix="directory-walk") as ahead:
        pending = ahead.submit(lambda: list(islice(cursor, BATCH)))
        while batch := pending.result():
            pending = ahead.submit(lambda: list(islice(cursor, BATCH)))
            for doc in batch:
                if fields and "_id" not in fields:
                    doc.pop("_id", None)
                yield doc
