"""The directory's reads: same answers as the old queries, each served by an index, totals from
the kept counts, the CSV streamed with the old bytes, old generations still readable."""

from __future__ import annotations

import random
from typing import Any

import pytest
from projection.adapters import directory as directory_module
from projection.adapters import generations
from projection.adapters.directory import (
    HIDDEN,
    ORDER,
    PublicDirectory,
    ensure_read_indexes,
    mongo_filter,
)
from projection.domain import search
from projection.domain.counts import count_key, facet_keys
from projection.domain.directory import DirectoryQuery
from projection.domain.institution import INDEX_FIELDS
from pymongo import MongoClient, monitoring

from shared.readside.store import META
from tests.bench.reads import institution
from tests.unit.projection.test_csv_stream import old_to_csv

TRICKY = ["重庆市渝中区(南岸)福寿养老院", "重庆市ABC康养中心", "重庆市abc颐养中心",
          "重庆市渝北区阳光养老院", "重庆市渝北区阳光", "阳"]
QUERIES = [DirectoryQuery(), DirectoryQuery(status="all"), DirectoryQuery(status="cancelled"),
           DirectoryQuery(district="500103"), DirectoryQuery(district="500105", status="all"),
           DirectoryQuery(operator_type="public"),
           DirectoryQuery(district="500103", operator_type="private_profit"),
           DirectoryQuery(q="阳光"), DirectoryQuery(q="阳"), DirectoryQuery(q="abc", status="all"),
           DirectoryQuery(q="(南岸)"), DirectoryQuery(q="养老院", district="500103"),
           DirectoryQuery(q="不存在的名字"), DirectoryQuery(q="重庆市渝北区阳光养老院")]


@pytest.fixture()
def loaded(db):
    """90 generated institutions and a few tricky names, straight into the active generation."""
    rnd = random.Random(3)
    docs = [institution(i, rnd)[0] for i in range(90)]
    docs += [institution(500 + n, rnd, name)[0] for n, name in enumerate(TRICKY)]
    coll = generations.active_collection(db)
    coll.insert_many(docs)
    return coll


def old_way(coll, query: DirectoryQuery) -> list[dict]:
    return list(coll.find(mongo_filter(query), HIDDEN).sort(ORDER))


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_pages_and_downloads_equal_the_old_queries(db, loaded, query):
    directory, expected = PublicDirectory(lambda: db), old_way(loaded, query)
    assert list(directory.all(query)) == expected
    for page in (1, 2, 3):
        total, rows = directory.page(query, page, 7)
        assert total == len(expected)
        assert rows == expected[(page - 1) * 7:page * 7]
    assert not any(k in row for row in expected for k in INDEX_FIELDS)


def test_totals_come_from_the_kept_counts_once_there_are_any(db, loaded):
    directory = PublicDirectory(lambda: db)
    counted = directory.page(DirectoryQuery(district="500103"), 1, 5)[0]
    kept: dict[str, int] = {}
    for doc in loaded.find({}):
        for key in facet_keys(doc):
            kept[key] = kept.get(key, 0) + 1
    counts = generations.counts_collection(db)  # kept per generation
    counts.insert_many([{"_id": k, "n": v} for k, v in kept.items()])
    assert directory.page(DirectoryQuery(district="500103"), 1, 5)[0] == counted
    counts.update_one({"_id": count_key("filed", "500103", None)}, {"$set": {"n": 4321}})
    assert directory.page(DirectoryQuery(district="500103"), 1, 5)[0] == 4321  # read, not counted
    assert directory.page(DirectoryQuery(district="500199"), 1, 5) == (0, [])


def test_the_csv_is_streamed_with_the_bytes_it_had(db, loaded, client):
    resp = client.get("/open-data/institutions.csv?status=all")
    assert resp.is_streamed
    assert resp.get_data() == old_to_csv(old_way(loaded, DirectoryQuery(status="all")))
    searched = client.get("/open-data/institutions.csv?q=阳光").get_data()
    assert searched == old_to_csv(old_way(loaded, DirectoryQuery(q="阳光")))


def test_a_generation_without_index_fields_is_still_read_the_old_way(db, loaded):
    for doc in loaded.find({}):  # as stored before the fields existed
        loaded.update_one({"_id": doc["_id"]}, {"$unset": dict.fromkeys(INDEX_FIELDS, "")})
    directory = PublicDirectory(lambda: db)
    for query in QUERIES[:8]:
        assert list(directory.all(query)) == old_way(loaded, query)
        assert directory.page(query, 2, 5) == (len(old_way(loaded, query)),
                                               old_way(loaded, query)[5:10])


def keep_counts(db, coll) -> None:
    """The counts a consumer keeps: per facet combination and per name token."""
    facets: dict[str, int] = {}
    tokens: dict[str, int] = {}
    for doc in coll.find({}):
        for key in facet_keys(doc):
            facets[key] = facets.get(key, 0) + 1
        for token, n in search.deltas(None, doc).items():
            tokens[token] = tokens.get(token, 0) + n
    generations.counts_collection(db).insert_many([{"_id": k, "n": v} for k, v in facets.items()])
    generations.collection_of(db, search.COUNTS).insert_many(
        [{"_id": k, "n": v} for k, v in tokens.items()])


FACETED = ({}, {"status": "all"}, {"district": "500103"},
           {"operator_type": "public", "status": "cancelled"})
SEARCHES = [*(q for q in QUERIES if q.q),
            *(DirectoryQuery(q=q, **facets)
              for q in ("重庆", "养", "区", "老院", "ab", "AB", "(", "0") for facets in FACETED)]


@pytest.mark.parametrize("budget", [0, 30, 2000], ids=["no-walk", "short-walks", "walks"])
def test_searches_with_kept_counts_equal_the_old_queries(db, loaded, monkeypatch, budget):
    """Every way a search with kept counts can go (a dense single key walked in order, or
    sorted by the server with the kept total, or the rarest key confirmed) gives the old
    answers, page after page, with exact totals."""
    keep_counts(db, loaded)
    monkeypatch.setattr(directory_module, "DENSE_BUDGET", budget)
    directory = PublicDirectory(lambda: db)
    for query in SEARCHES:
        expected = old_way(loaded, query)
        assert list(directory.all(query)) == expected, query
        for per_page in (1, 7, 40):
            for page in range(1, len(expected) // per_page + 3):
                total, rows = directory.page(query, page, per_page)
                assert (total, rows) == (len(expected),
                                         expected[(page - 1) * per_page:page * per_page]), query


def test_a_search_no_name_can_match_reads_nothing_but_the_counts(infra, db, loaded):
    keep_counts(db, loaded)
    listener = Finds()
    watched = MongoClient(infra.mongo_uri, tz_aware=True, event_listeners=[listener])
    try:
        directory = PublicDirectory(lambda: watched[db.name])
        directory.page(DirectoryQuery(), 1, 1)  # the generation's first look
        listener.seen.clear()
        assert directory.page(DirectoryQuery(q="不存在"), 1, 20) == (0, [])
    finally:
        watched.close()
    read = {cmd.get("find") or cmd.get("aggregate") for cmd in listener.seen}
    assert read - {META} == {generations.collection_of(db, search.COUNTS).name}  # META: pointer


class Finds(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in ("find", "aggregate"):
            self.seen.append(dict(event.command))

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass


@pytest.mark.parametrize("counts", [False, True], ids=["no-counts", "kept-counts"])
def test_every_directory_query_is_served_by_an_index(infra, db, loaded, counts):
    if counts:
        keep_counts(db, loaded)
    listener = Finds()
    watched = MongoClient(infra.mongo_uri, tz_aware=True, event_listeners=[listener])
    try:
        directory = PublicDirectory(lambda: watched[db.name])
        for query in [*QUERIES, *SEARCHES]:
            directory.page(query, 2, 5)
            list(directory.all(query))
        plans = [_plan(watched[db.name], cmd) for cmd in listener.seen]
    finally:
        watched.close()
    assert plans
    for cmd, plan in zip(listener.seen, plans, strict=True):
        assert "COLLSCAN" not in plan and not any(
            line.startswith("SCAN ") and "VIRTUAL TABLE" not in line
            for line in plan.split("|")), (cmd, plan)


def _plan(db, cmd: dict[str, Any]) -> str:
    """The winning plan of a find (or of an aggregate's $match run as a find), flattened."""
    coll = db[cmd.get("find") or cmd["aggregate"]]
    stages = {k: v for stage in cmd.get("pipeline", []) for k, v in stage.items()}
    cursor = coll.find(cmd.get("filter", {}) if "find" in cmd else stages["$match"])
    if cmd.get("sort") or stages.get("$sort"):
        cursor = cursor.sort(list((cmd.get("sort") or stages["$sort"]).items()))
    plan = cursor.explain()
    winning = plan.get("queryPlanner", {}).get("winningPlan", plan)
    if isinstance(winning, list):  # nx-27017: SQLite's EXPLAIN QUERY PLAN lines
        return "|".join(step["detail"] for step in winning)
    return repr(winning)


def test_read_indexes_can_be_ensured_again(db):
    coll = generations.active_collection(db)
    ensure_read_indexes(coll)
    ensure_read_indexes(coll)


def test_index_fields_never_leave_the_read_side(db, loaded, client):
    code = loaded.find_one({"filing_status": "filed"})["_id"]
    for url in ("/", "/?q=阳光", f"/institutions/{code}", f"/institutions/{code}?as_of=2026-12-31",
                "/open-data/institutions.json?status=all", "/open-data/institutions.csv",
                f"/api/v1/institutions/{code}", "/api/v1/institutions?q=养老"):
        body = client.get(url).get_data(as_text=True)
        assert "search_keys" not in body and "list_" not in body and "k00" not in body, url
