"""`python -m tests.bench.reads --institutions 10000 30000 [100000]`: public reads at scale.

For each size: loads N institutions straight into the read model (folded from registry events
by the domain, bulk inserted, counts kept as the projection keeps them; progress bar), then
measures, on the same data and server, the directory page p95, the name-search p95 and the
full CSV rows/s through the web app, each the new way and the old way (the filter and sort on
the plain fields, regex name search, counting per request, the CSV built in memory). Medians
of --repeats rounds. Server: MONGODB_URI if set, else an nx-27017 on a free port, stopped
afterwards. Results: stdout and bench-results/reads.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projection.adapters import generations
from projection.adapters.directory import (
    HIDDEN,
    ORDER,
    PublicDirectory,
    ensure_read_indexes,
    mongo_filter,
)
from projection.domain import search
from projection.domain.counts import COUNTS, facet_keys
from projection.domain.directory import DirectoryQuery
from projection.domain.fold import fold
from projection.domain.labels import DISTRICTS, OPERATOR_TYPES
from projection.projector import ROW_FIELDS, ROWS, row_of
from pymongo import MongoClient
from pymongo.database import Database
from tqdm import tqdm

from devtools.devstack import infra
from tests.bench.common import ROOT, progress
from tests.unit.projection import samples as s

RESULTS = ROOT / "bench-results" / "reads.json"
WORDS = "福寿康宁安乐颐和祥瑞金色夕阳晚霞慈恩仁爱幸福家园长青松鹤延年百龄天伦春晖阳光温馨怡心" \
        "佳美华夏东南西北中山海江河湖泉林森桂兰梅竹菊荷云峰嘉禾润泽恒昌鑫隆兴盛德善"
KINDS = ("养老院", "敬老院", "颐养中心", "护理院", "老年公寓", "养老服务中心", "康养中心")
DISTRICT_CODES = sorted(DISTRICTS)[:26]
BATCH = 1000


def institution(i: int, rnd: random.Random,
                name: str | None = None) -> tuple[dict[str, Any], str]:
    """One institution's stored document and the distinctive part of its name."""
    district = rnd.choice(DISTRICT_CODES)
    word = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 4)))
    name = name or f"重庆市{DISTRICTS[district]}{word}{rnd.choice(KINDS)}"
    code = s.uscc(i, district)
    events = [s.event("EnterpriseRegistrationReceived", s.registration_received(code), 1,
                      s.at("2026-01-06"))]
    roll = rnd.random()
    if roll < 0.95:  # 5% only registered (unfiled)
        events.append(s.event("InstitutionFiled", s.filed(
            code, name=name, district_code=district,
            operator_type=rnd.choice(list(OPERATOR_TYPES))), 2, s.at("2026-02-10")))
    if roll < 0.08:
        events.append(s.event("InstitutionCancelled", s.cancelled(code), 3, s.at("2026-06-30")))
    doc = fold(code, events)
    assert doc is not None
    return {"_id": code, **doc}, word


def load(db: Database, n: int, seed: int = 7) -> list[str]:
    """N institutions in the active generation with their counts; the names' words."""
    rnd, coll = random.Random(seed), generations.active_collection(db)
    ensure_read_indexes(coll)
    counts: Counter[str] = Counter()
    tokens: Counter[str] = Counter()
    rows = generations.collection_of(db, ROWS)
    for field in ROW_FIELDS:
        rows.create_index(field)
    words, batch = [], []
    for i in tqdm(range(n), desc=f"load {n:,}", unit=" inst", file=sys.stderr):
        doc, word = institution(i, rnd)
        words.append(word)
        counts.update(facet_keys(doc))
        tokens.update(search.deltas(None, doc))
        batch.append(doc)
        if len(batch) == BATCH:
            _insert(coll, rows, batch)
            batch = []
    if batch:
        _insert(coll, rows, batch)
    generations.collection_of(db, COUNTS).insert_many(
        [{"_id": k, "n": v} for k, v in counts.items()])
    generations.collection_of(db, search.COUNTS).insert_many(
        [{"_id": k, "n": v} for k, v in tokens.items()])
    return words


def _insert(coll: Any, rows: Any, batch: list[dict[str, Any]]) -> None:
    """Documents and their rows (projection.projector.row_of), as the consumer writes them."""
    coll.insert_many(batch)
    rows.insert_many([{"_id": d["_id"], **row_of(d)} for d in batch])


def page_queries(rnd: random.Random, count: int, total: int) -> list[tuple[DirectoryQuery, int]]:
    """What visitors ask for: the default page, later pages, districts, operator types."""
    asked = []
    for _ in range(count):
        kind = rnd.random()
        district = rnd.choice(DISTRICT_CODES) if kind > 0.4 else None
        operator = rnd.choice(list(OPERATOR_TYPES)) if kind > 0.7 else None
        status = rnd.choice(["filed", "filed", "filed", "all", "cancelled"])
        pages = max(1, total // 20 // (26 if district else 1) // (3 if operator else 1))
        asked.append((DirectoryQuery(district=district, operator_type=operator, status=status),
                      rnd.choice([1, 1, 2, rnd.randint(1, max(1, pages // 2))])))
    return asked


def search_queries(rnd: random.Random, words: list[str], count: int) -> list[DirectoryQuery]:
    """Name searches: two or three characters of a real name's distinctive part."""
    asked = []
    for _ in range(count):
        word = rnd.choice(words)
        size = min(len(word), rnd.choice([2, 2, 3]))
        start = rnd.randint(0, len(word) - size)
        asked.append(DirectoryQuery(q=word[start:start + size],
                                    status=rnd.choice(["filed", "filed", "all"])))
    return asked


def old_page(db: Database, query: DirectoryQuery, page: int, per_page: int = 20) -> int:
    """The page as it was read before: count by aggregate, filter and sort on plain fields."""
    coll, found = generations.active_collection(db), mongo_filter(query)
    counted = list(coll.aggregate([{"$match": found}, {"$count": "n"}]))
    rows = list(coll.find(found, HIDDEN).sort(ORDER).skip((page - 1) * per_page).limit(per_page))
    return (int(counted[0]["n"]) if counted else 0) + len(rows)


def old_csv(db: Database) -> int:
    """The CSV as it was built before: every row in a list, then one bytes object."""
    from projection.web.open_data import to_csv

    coll = generations.active_collection(db)
    rows = list(coll.find(mongo_filter(DirectoryQuery()), {"history": 0}).sort(ORDER))
    return to_csv(rows).count(b"\r\n") - 1


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    spent = []
    for call in calls:
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return spent


def csv_rate(client: Any) -> tuple[float, int]:
    """Rows/s of the full CSV through the web app, read as a client reads a streamed body."""
    started = time.perf_counter()
    resp = client.get("/open-data/institutions.csv")
    rows = sum(chunk.count(b"\r\n") for chunk in resp.response) - 1
    return rows / (time.perf_counter() - started), rows


def measure(db: Database, client: Any, words: list[str], n: int, rnd: random.Random,
            old: bool) -> dict[str, float]:
    """One round: p95s and CSV rate, the new way and (if ``old``) the old way."""
    directory = PublicDirectory(lambda: db)
    directory.page(DirectoryQuery(), 1, 20)  # index check once per generation, as a server does
    pages = page_queries(rnd, 60, n)
    searches = search_queries(rnd, words, 40)
    got: dict[str, float] = {
        "page_p95_ms": p95(timed([lambda q=q, p=p: directory.page(q, p, 20) for q, p in pages])),
        "search_p95_ms": p95(timed([lambda q=q: directory.page(q, 1, 20) for q in searches])),
        "common_search_ms": statistics.median(timed(
            [lambda: directory.page(DirectoryQuery(q="养老院"), 1, 20)] * 3)) * 1000,
        "dense_search_ms": statistics.median(timed(  # two characters every name holds
            [lambda: directory.page(DirectoryQuery(q="重庆"), 1, 20)] * 3)) * 1000,
        "last_page_ms": statistics.median(timed(  # the deepest skip a visitor can ask for
            [lambda: directory.page(DirectoryQuery(status="all"), n // 20, 20)] * 3)) * 1000,
    }
    got["csv_rows_per_s"], rows = csv_rate(client)
    got["csv_rows"] = rows
    if old:
        few = max(5, 20 * 10_000 // n)  # the old way is slow: fewer samples at scale
        got["old_page_p95_ms"] = p95(timed([lambda q=q, p=p: old_page(db, q, p)
                                            for q, p in pages[:few]]))
        got["old_search_p95_ms"] = p95(timed([lambda q=q: old_page(db, q, 1)
                                              for q in searches[:few]]))
        started = time.perf_counter()
        got["old_csv_rows_per_s"] = old_csv(db) / (time.perf_counter() - started)
    return got


@contextmanager
def mongo_server() -> Iterator[tuple[str, str]]:
    uri = os.environ.get("MONGODB_URI")
    if uri:
        yield uri, "external (MONGODB_URI)"
        return
    with tempfile.TemporaryDirectory(prefix="bench-reads-") as tmp:
        port = infra.free_port()
        proc = infra.start_mongo(Path(tmp) / "mongo", port, Path(tmp) / "logs")
        try:
            yield f"mongodb://127.0.0.1:{port}/?directConnection=true", "nx-27017 (embedded)"
        finally:
            infra.stop_process(proc)


def app_client(uri: str, db: Database) -> Any:
    from projection.bootstrap import create_app

    from shared.config import Settings
    from shared.oidc import OidcSettings

    settings = Settings(service="projection", mongodb_uri=uri, kafka_bootstrap="127.0.0.1:9",
                        db_prefix=db.name.removesuffix("projection"),
                        extra={"ELDERCARE_PUBLIC_RATE_LIMIT": "1000000 per second"},
                        # public reads only: no token is ever verified here
                        oidc=OidcSettings(issuer="http://127.0.0.1:9/unused",
                                          jwks_uri="http://127.0.0.1:9/unused/jwks"))
    app = create_app(settings, db=db)
    return app.test_client()


def run_size(client_: MongoClient, uri: str, n: int, repeats: int) -> dict[str, Any]:
    name = f"bench_reads_{n}_{os.getpid()}_projection"
    db = client_[name]
    try:
        started = time.perf_counter()
        words = load(db, n)
        load_s = time.perf_counter() - started
        progress(f"{n:,} institutions loaded in {load_s:.1f}s ({n / load_s:,.0f}/s)")
        client, rnd, rounds = app_client(uri, db), random.Random(n), []
        for r in range(repeats):
            rounds.append(measure(db, client, words, n, rnd, old=r == 0))
            progress(f"{n:,} round {r + 1}/{repeats}: " + ", ".join(
                f"{k}={v:,.1f}" for k, v in rounds[-1].items()))
        keys = rounds[0].keys()
        return {"institutions": n, "load_per_s": n / load_s,
                **{k: statistics.median(x[k] for x in rounds if k in x) for k in keys}}
    finally:
        client_.drop_database(name)


def table(results: list[dict[str, Any]]) -> str:
    head = (f"{'institutions':>12} {'page p95 ms':>12} {'old':>8} {'last page ms':>12} "
            f"{'search p95 ms':>14} {'old':>8} {'养老院 ms':>9} {'重庆 ms':>7} {'CSV rows/s':>11} "
            f"{'old':>9} "
            f"{'load/s':>7}")
    lines = [head]
    for r in results:
        lines.append(f"{r['institutions']:>12,} {r['page_p95_ms']:>12.1f} "
                     f"{r['old_page_p95_ms']:>8.1f} {r['last_page_ms']:>12.1f} "
                     f"{r['search_p95_ms']:>14.1f} {r['old_search_p95_ms']:>8.1f} "
                     f"{r['common_search_ms']:>9.0f} {r['dense_search_ms']:>7.0f} "
                     f"{r['csv_rows_per_s']:>11,.0f} "
                     f"{r['old_csv_rows_per_s']:>9,.0f} {r['load_per_s']:>7,.0f}")
    lines.append("targets at 100k: page p95 <= 100 ms, search p95 <= 300 ms, CSV >= 20,000 rows/s"
                 " (old = the same queries the way they were read before, first round only; "
                 "养老院: a search most names match; 重庆: two characters every name holds; "
                 "load/s: bulk insert with every index)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with mongo_server() as (uri, kind):
        progress(f"server: {kind}")
        mongo = MongoClient(uri, tz_aware=True)
        results = [run_size(mongo, uri, n, args.repeats) for n in args.institutions]
    print(table(results), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"when": datetime.now(UTC).isoformat(), "server": kind,
                                   "repeats": args.repeats, "results": results}, indent=2))
    progress(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
