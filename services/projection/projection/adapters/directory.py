"""Queries of the public directory against the active read-model generation.

Every query is served by one single-field index, because nx-27017 uses nothing else (see
/work/shared/infra.md): a page is a range of one order field (projection.domain.listing),
already sorted, so skip and limit walk the index. A name search reads the kept per-token
counts of its keys (projection.domain.search): none held means no match, without a query. A
query that is its own key needs no substring test: its page is the text index's documents in
its order field's range, sorted, skipped and limited by the server, and its total the kept
count. Any other search looks up its rarest key in the text index over ``search_keys`` and
confirms each candidate by the exact substring test (few candidates: cheap). An
ordinary index over an array is no use here: nx-27017 compares the whole array with the
value and silently matches nothing. Totals come from the counts the read model keeps
(projection.domain.counts) and are counted on the order field while that collection is
empty. A generation written before these fields existed is read the old way
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
from projection.domain.fold import Document, as_of, history
from projection.domain.institution import INDEX_FIELDS
from shared.readside import asof

log = logging.getLogger(__name__)
ORDER = [("name", 1), ("uscc", 1)]  # directory order, as the legacy query sorts
NO_INDEX_FIELDS = dict.fromkeys(INDEX_FIELDS, 0)  # an institution's page: all but the index fields
HIDDEN = {"history": 0, **NO_INDEX_FIELDS}  # a row: no history (documents folded before it left)
BATCH = 1000  # rows per batch of a full download
# a single-key search at least 1/DENSE of whose range matches walks at most DENSE_BUDGET rows
DENSE, DENSE_BUDGET = 4, 2000


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


def entity_tag(generation: int, doc: Document) -> str | None:
    """An institution's public document changes only with its public version, or when a
    rebuild makes a new generation (which may fold it under other rules). Never the stream
    version ``_v``: it also counts the non-public leads, whose existence a tag would give
    away. None for a document folded before public versions were kept (no tag, no 304)."""
    version = doc.get("public_version")
    return None if version is None else f"{generation}.{int(version)}"


def _current(db: Database, uscc: str, fields: dict[str, int]) -> tuple[int, Document | None]:
    """The active generation and, read from it, the fields of one institution's document."""
    generation = generations.active_generation(db)
    return generation, db[generations.collection_name(generation)].find_one({"_id": uscc},
                                                                            fields)


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
        from projection.projector import INSTITUTIONS, PROJECTOR, ROWS
        from projection.web.asof import requested

        kept = {"counts": COUNTS, "search_counts": search.COUNTS, "rows": ROWS}.get(
            logical, INSTITUTIONS)
        day = requested()
        if day is not None:
            return asof.collection(db, PROJECTOR, kept, day)
        return generations.collection_of(db, kept)

    def page(self, query: DirectoryQuery, page: int, per_page: int) -> tuple[int, list[dict]]:
        """The total number of matches and the rows of one page."""
        db, coll, indexed = self._active()
        skip = (page - 1) * per_page
        if not indexed:
            return self._legacy_page(coll, query, skip, per_page)
        if search.query_keys(query.q or ""):
            return self._search_page(db, coll, query, skip, per_page)
        field, found = _range(query)
        return self._total(db, coll, query, found), _page(coll, field, found, skip, per_page)

    def all(self, query: DirectoryQuery, fields: Sequence[str] = ()) -> Iterator[dict]:
        """Every match, in directory order, fetched in batches as the caller reads; only
        ``fields`` of each if given (a download needs a few: cheaper to read). nx-27017 gives
        booleans as 0 and 1 in such rows (aggregation $project): ask for no boolean field."""
        db, coll, indexed = self._active()
        if not indexed:
            return iter(coll.find(mongo_filter(query), HIDDEN).sort(ORDER))
        if search.query_keys(query.q or ""):
            ids = self._search(coll, query, self._lookup(db, query)[1])
            return (doc for start in range(0, len(ids), BATCH)
                    for doc in self._by_ids(coll, ids[start:start + BATCH]))
        return _walk(coll, *_range(query), fields)

    def csv_lines(self, query: DirectoryQuery) -> Iterator[str] | None:
        """The stored CSV lines of a query without a name search, in directory order, read
        from the narrow rows collection in batches as the caller reads; None when that query
        is a search, filters by what rows are not ordered by, or the generation does not
        keep a row for every institution (one from before the rows): the caller formats
        the documents then."""
        from projection.projector import ROW_FIELDS

        db, coll, indexed = self._active()
        field, found = _range(query)
        if not indexed or search.query_keys(query.q or "") or field not in ROW_FIELDS:
            return None
        rows = self._collection(db, "rows")
        if rows.estimated_document_count() != coll.estimated_document_count():
            return None  # (or a batch half-written: the documents answer this time)
        cursor = rows.find(found, {"csv": 1, "_id": 0}).sort(field, 1).batch_size(BATCH)
        return (row["csv"] for row in _ahead(cursor))

    def get(self, uscc: str) -> Document | None:
        """The current document of one institution, with its change history replayed from
        the inbox up to the document's version (every version folded was kept there first)."""
        db = self._db()
        generation, doc = _current(db, uscc, NO_INDEX_FIELDS)
        if doc is None:
            return None
        events = MongoInbox(db).events_of(uscc)
        return {**doc, "history": history(uscc, events, int(doc.get("_v") or 0)),
                "_tag": entity_tag(generation, doc)}

    def tag(self, uscc: str) -> str | None:
        """The entity tag of the current document (None if unknown or untagged) from one
        indexed read of its version: a conditional request is answered without replaying the
        history."""
        generation, doc = _current(self._db(), uscc, {"public_version": 1})
        return None if doc is None else entity_tag(generation, doc)

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

    def _lookup(self, db: Database, query: DirectoryQuery) -> tuple[dict[str, int] | None, str]:
        """The kept counts of a search's keys (``_held``) and the key it looks up in the text
        index: its rarest by those counts, or while none are kept the one likely rarest."""
        q, status = query.q or "", query.filing_status()
        held = self._held(db, q, status)
        found = search.rarest(q, held, status) if held is not None else None
        return held, found[0] if found else str(search.lookup_key(q))

    def _held(self, db: Database, q: str, status: str | None = None) -> dict[str, int] | None:
        """The kept number of names (of ``status``; None: any) holding each of the query's
        keys (by count key: search.scoped; a key no name holds is absent), or None while
        the generation keeps no such counts (or holds no name: the text index answers at
        once then)."""
        kept = self._collection(db, "search_counts")
        tokens = [search.NAMED, *(search.scoped(search.token(k), status)
                                  for k in search.query_keys(q))]
        held = {d["_id"]: int(d["n"]) for d in kept.find({"_id": {"$in": tokens}})}
        return held if search.NAMED in held else None

    def _search_page(self, db: Database, coll: Collection, query: DirectoryQuery, skip: int,
                     per_page: int) -> tuple[int, list[dict]]:
        """The total and one page of a name search (see the module's docstring)."""
        q, status = query.q or "", query.filing_status()
        held, key = self._lookup(db, query)
        candidates = 0 if held is None else held.get(search.scoped(search.token(key), status), 0)
        if held is not None and candidates <= 0:
            return 0, []  # a key no name (of that status) holds
        if held is not None and search.is_single_key(q):  # every holder of the key matches
            field, found = _range(query)
            faceted = query.district or query.operator_type  # (the status is counted)
            total = _text_count(coll, query, key) if faceted else candidates
            in_range = self._total(db, coll, query, found)
            ids = _dense_page(coll, field, found, q, skip, per_page, in_range, total)
            if ids is not None:
                return total, self._by_ids(coll, ids)
            rows = list(coll.find({"$text": {"$search": search.token(key)}, **found}, HIDDEN)
                        .sort(field, 1).skip(skip).limit(per_page))
            return total, rows
        ids = self._search(coll, query, key)
        return len(ids), self._by_ids(coll, ids[skip:skip + per_page])

    @staticmethod
    def _search(coll: Collection, query: DirectoryQuery, key: str) -> list[str]:
        """The ids of every match of a name search looked up under ``key``, in order: the
        candidates in the query's order-field range, sorted by the server, then tested."""
        field, found = _range(query)
        candidates = coll.find({"$text": {"$search": search.token(key)}, **found},
                               {"name": 1}).sort(field, 1)
        return [d["_id"] for d in candidates if search.contains(d.get("name"), query.q or "")]

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
    for doc in _ahead(cursor):
        if fields and "_id" not in fields:
            doc.pop("_id", None)
        yield doc


def _ahead(cursor: Any) -> Iterator[dict]:
    """The cursor's documents, BATCH at a time, the next batch already being read while the
    caller works through the current one."""
    with cursor, ThreadPoolExecutor(1, thread_name_prefix="directory-walk") as ahead:
        pending = ahead.submit(lambda: list(islice(cursor, BATCH)))
        while batch := pending.result():
            pending = ahead.submit(lambda: list(islice(cursor, BATCH)))
            yield from batch


def _dense_page(coll: Collection, field: str, found: dict[str, Any], q: str, skip: int,
                per_page: int, rows: int, matches: int) -> list[str] | None:
    """The ids of a page of a search most rows of its range match, read by walking the range
    in order with a bounded budget (the server sorting every candidate costs about 7 us
    each: 0.7 s when 100,000 names match), or None when the matches are not dense enough
    or the budget ran out before the page was full (names cluster in directory order)."""
    wanted = min(skip + per_page, matches)
    if not wanted or matches * DENSE < rows:
        return None
    budget = DENSE * wanted * rows // matches + per_page
    if budget > DENSE_BUDGET:
        return None
    walked = coll.aggregate([{"$match": found}, {"$sort": {field: 1}}, {"$limit": budget},
                             {"$project": {"name": 1}}])
    ids = [d["_id"] for d in walked if search.contains(d.get("name"), q)]
    if len(ids) < wanted:
        return None
    return ids[skip:skip + per_page]


def _text_count(coll: Collection, query: DirectoryQuery, key: str) -> int:
    """How many documents hold ``key`` and the query's facets (counted by the server: a
    single-key query needs no substring test)."""
    found: dict[str, Any] = {"$text": {"$search": search.token(key)}}
    for field, value in (("filing_status", query.filing_status()),
                         ("district_code", query.district),
                         ("operator_type", query.operator_type)):
        if value:
            found[field] = value
    counted = list(coll.aggregate([{"$match": found}, {"$count": "n"}]))
    return int(counted[0]["n"]) if counted else 0
