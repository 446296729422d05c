"""`python -m tests.bench.scale` (make bench-scale): the platform at a city's scale.

Starts the whole stack as `make run` does (embedded Kafka and MongoDB, every service, relays
and consumers; a temporary folder, free ports, no demo data) and, for each size in
BENCH_SCALE_N (comma-separated cumulative institution counts, default 10000; the issue's
curve is 10000,30000,100000), loads institutions through the write API up to that size:

* enterprise registrations pushed in batches of 1000 (the market-supervision push);
* their later history, so that the stores hold BENCH_SCALE_EVENTS (default 10) events per
  institution once it is filed: BENCH_SCALE_EVENTS - 2 changed registrations each (a new
  address per push), decided by the registry's own domain and stored in bulk straight into
  its event store (``append_many``; the API would take hours), then waited for until the
  public directory has applied them and the stack has settled (progress bars);
* filings by BENCH_SCALE_CLIENTS (default 8) concurrent clients, one POST each: filings/s
  sustained and p99 latency of those POSTs;
* meanwhile, every second, the latest accepted filing is polled on the public JSON until it
  shows it: the projection's lag (append -> visible), p50/p95/max over those samples;

then, with the directory caught up: directory page p95 (random pages) and name search p95
(random two-character names of the synthetic data) at once, while the rest of the stack is
still working through the load (other projections, credit, risk, the log); then again once
the stack has settled (the MongoDB server busy below SETTLED_BUSY of a core over
SETTLE_WINDOW seconds), and the full CSV's rows/s (median of three downloads). Reads are
paced READ_EVERY apart (the public rate limit). One row per size is printed; everything is
written to bench-results/scale-latest.json. Not part of `make test`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from projection.projector import GROUP as DIRECTORY_GROUP
from pymongo import MongoClient
from registry.app.common import AGGREGATE, stream_id
from registry.domain.model import EnterpriseRecord
from registry.domain.registration import RegisterEnterprise, decide_register
from stdnum.cn import uscc as uscc_code
from tqdm import tqdm

from shared.commands import to_new_event
from shared.eventstore import CommitMeta, MongoEventStore
from tests.bench.common import ROOT, progress
from tests.bench.cpu import CpuMeter, cpu_seconds
from tests.bench.e2e import enterprise, filing, is_filed, percentile

API = "/api/v1"
RESULTS = ROOT / "bench-results" / "scale-latest.json"
PUSH_BATCH = 1000
READ_SAMPLES = 50
READ_EVERY = 0.03  # seconds from one read's start to the next (public limit: 50 per second)
SETTLED_BUSY, SETTLE_WINDOW, SETTLE_TIMEOUT = 0.15, 3.0, 900.0
LAG_TIMEOUT = 1800.0
CATCH_UP_TIMEOUT = 1800.0
SAMPLE_EVERY = 1.0
MAX_WAITERS = 16
HISTORY_BATCH = 2000  # commits per bulk insert
WARM_UP = 9_999_999  # the warm-up institution's number, beyond any size
# two-character words of the synthetic names: a search for one matches about 1/len of them
WORDS = ("康乐", "幸福", "颐和", "松鹤", "福寿", "安康", "夕阳", "长青", "慈济", "仁爱",
         "晚晴", "天伦", "百福", "怡园", "静心", "和美")


@dataclass(frozen=True)
class Row:
    """The figures at one size (institutions loaded so far)."""

    institutions: int
    events: int
    history_events_per_s: float
    history_applied_s: float
    filings_per_s: float
    filing_p99_ms: float
    filing_cores: float  # the machine's busy cores while filing (of os.cpu_count())
    filing_cpu_ms: dict[str, float]  # per process role, CPU ms per filing (largest first)
    lag_p50_ms: float
    lag_p95_ms: float
    lag_max_ms: float
    lag_samples: int
    catch_up_s: float
    page_p95_ms: float
    search_p95_ms: float
    settle_s: float
    rest_page_p95_ms: float
    rest_search_p95_ms: float
    csv_rows_per_s: float


def uscc(n: int) -> str:
    body = f"91500103MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def name(n: int) -> str:
    return f"重庆市渝中区{WORDS[n % len(WORDS)]}养老院{n}"


class Platform:
    """HTTP to the registry (writes) and the projection (reads), one session per thread."""

    def __init__(self, registry: str, projection: str, market: Callable[[], str],
                 civil: Callable[[], str]) -> None:
        """``market``, ``civil``: the tokens, asked for at each request (the stack's token
        source keeps them and renews them well before their 10 minutes run out)."""
        self.registry, self.projection = registry, projection
        self._market, self._civil = market, civil
        self._local = threading.local()

    @property
    def market(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._market()}"}

    @property
    def civil(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._civil()}"}

    @property
    def http(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def push(self, numbers: range) -> None:
        records = [registration(n) for n in numbers]
        resp = self.http.post(f"{self.registry}{API}/enterprise-registrations/batch",
                              json={"records": records}, headers=self.market, timeout=120)
        _ok(resp)

    def file(self, n: int) -> float:
        """POST one filing; its latency in seconds."""
        started = time.perf_counter()
        resp = self.http.post(f"{self.registry}{API}/institutions/{uscc(n)}/filing",
                              json={**filing(), "name": name(n)}, headers=self.civil,
                              timeout=60)
        _ok(resp)
        return time.perf_counter() - started

    def visible(self, n: int, seen: dict[str, str] | None = None) -> bool:
        """Whether filing ``n`` is public. A poller passes ``seen``: the last ETag goes back
        in If-None-Match, so an unchanged document costs the projection one indexed read
        (as any well-behaved client polling the public JSON)."""
        headers = {"If-None-Match": seen["etag"]} if seen and "etag" in seen else {}
        resp = self.http.get(f"{self.projection}{API}/institutions/{uscc(n)}", timeout=30,
                             headers=headers)
        if resp.status_code >= 500:
            raise RuntimeError(f"projection answered {resp.status_code} for {uscc(n)}")
        if resp.status_code == 304:
            return False
        if seen is not None and "ETag" in resp.headers:
            seen["etag"] = resp.headers["ETag"]
        return resp.ok and is_filed(resp.json())

    def total(self) -> int:
        resp = self.http.get(f"{self.projection}{API}/institutions", params={"per_page": 1},
                             timeout=60)
        _ok(resp)
        return int(resp.json()["total"])

    def timed_get(self, path: str, params: dict[str, Any]) -> float:
        started = time.perf_counter()
        _ok(self.http.get(f"{self.projection}{path}", params=params, timeout=60))
        return time.perf_counter() - started

    def csv_rows(self) -> tuple[int, float]:
        """Rows of the full CSV (header excluded) and the seconds to stream them."""
        started, rows = time.perf_counter(), -1
        with self.http.get(f"{self.projection}/open-data/institutions.csv", stream=True,
                           timeout=600) as resp:
            _ok(resp)
            for _ in resp.iter_lines():
                rows += 1
        return rows, time.perf_counter() - started


def _ok(resp: requests.Response) -> None:
    if not resp.ok:
        raise RuntimeError(f"{resp.request.method} {resp.url}: {resp.status_code} "
                           f"{resp.text[:300]}")


class LagSampler(threading.Thread):
    """Every SAMPLE_EVERY seconds takes the latest accepted filing and, in a waiter thread,
    polls the public JSON until it shows it (backing off as the wait grows, so a lagging
    projection is not also flooded with reads); at most MAX_WAITERS samples at a time."""

    def __init__(self, platform: Platform) -> None:
        super().__init__(daemon=True)
        self.platform, self.lags = platform, []
        self.latest: tuple[int, float] | None = None
        self.stop, self.errors = threading.Event(), []
        self.waiters: list[threading.Thread] = []

    def accepted(self, n: int, at: float) -> None:
        self.latest = (n, at)

    def run(self) -> None:
        taken = None
        while not self.stop.wait(SAMPLE_EVERY):
            latest = self.latest
            self.waiters = [w for w in self.waiters if w.is_alive()]
            if latest is None or latest == taken or len(self.waiters) >= MAX_WAITERS:
                continue
            taken = latest
            waiter = threading.Thread(target=self._wait, args=latest, daemon=True)
            waiter.start()
            self.waiters.append(waiter)

    def _wait(self, n: int, at: float) -> None:
        try:
            seen: dict[str, str] = {}
            while not self.platform.visible(n, seen):
                waited = time.perf_counter() - at
                if waited > LAG_TIMEOUT:
                    raise TimeoutError(f"filing {n} not public after {LAG_TIMEOUT}s")
                time.sleep(min(0.5, max(0.01, waited / 50)))
            self.lags.append(time.perf_counter() - at)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            self.errors.append(exc)

    def finish(self) -> None:
        """Stop sampling; wait for the samples under way."""
        self.stop.set()
        self.join()
        for waiter in self.waiters:
            waiter.join(LAG_TIMEOUT)
        if self.errors:
            raise self.errors[0]


def registration(n: int) -> dict[str, Any]:
    """Institution n's enterprise registration as market supervision first pushes it."""
    return {**enterprise(uscc(n)), "name": f"{name(n)}有限公司"}


def changes(n: int, count: int) -> list[tuple[str, int, list[Any]]]:
    """Institution n's ``count`` later pushes, each a new address, as commits (stream,
    expected version, events) after its first push: decided by the registry's domain."""
    record = EnterpriseRecord.from_data(registration(n))
    day = datetime.now(UTC).date()
    state = AGGREGATE.initial()
    for event in decide_register(state, RegisterEnterprise(record, day)):
        state = AGGREGATE.evolve(state, event)
    out = []
    for k in range(1, count + 1):
        moved = dataclasses.replace(record, address=f"重庆市渝中区解放碑街道民族路{100 + k}号")
        decided = decide_register(state, RegisterEnterprise(moved, day))
        out.append((stream_id(uscc(n)), k, [to_new_event(e) for e in decided]))
        for event in decided:
            state = AGGREGATE.evolve(state, event)
    return out


def history(store: MongoEventStore, progress_db: Any, first: int, last: int,
            per_institution: int, server_pid: int | None) -> dict[str, float]:
    """Institutions first..last-1 get per_institution - 2 changed registrations each, in
    bulk; then wait until the directory's consumer has applied the last of them and the
    stack has settled (every other consumer through them too)."""
    count = per_institution - 2
    if count <= 0:
        return {"history_events_per_s": float("nan"), "history_applied_s": 0.0}
    commits = [c for n in range(first, last) for c in changes(n, count)]
    marks: list[tuple[int, int]] = []  # (last position of a bulk insert, commits up to it)
    started = time.perf_counter()
    with tqdm(total=len(commits), desc=f"history {first:,}-{last:,}", unit=" events",
              file=sys.stderr) as bar:
        for start in range(0, len(commits), HISTORY_BATCH):
            part = commits[start:start + HISTORY_BATCH]
            store.append_many(part, CommitMeta(f"scale-history-{first}-{start}",
                                               "market_supervision", "scale-bench"))
            marks.append((store.load(part[-1][0]).last_position, start + len(part)))
            bar.update(len(part))
    stored_s = time.perf_counter() - started
    started = time.perf_counter()
    with tqdm(total=len(commits), desc="applied by the directory", unit=" events",
              file=sys.stderr) as bar:
        while True:
            seen = int(((progress_db["ops_progress"].find_one({"_id": DIRECTORY_GROUP}) or {})
                        .get("positions") or {}).get("registry", 0))
            done = max([n for position, n in marks if position <= seen], default=0)
            bar.update(done - bar.n)
            if done == len(commits):
                break
            if time.perf_counter() - started > CATCH_UP_TIMEOUT:
                raise TimeoutError(f"history not applied after {CATCH_UP_TIMEOUT}s")
            time.sleep(1.0)
    settle(server_pid)
    return {"history_events_per_s": len(commits) / stored_s,
            "history_applied_s": time.perf_counter() - started}


def stored_events(client: MongoClient) -> int:
    """Events in every service's event store (read at rest: a full read of each)."""
    total = 0
    for db_name in client.list_database_names():
        if db_name.startswith("eldercare_") and (
                "es_commits" in client[db_name].list_collection_names()):
            total += sum(int(d["last_version"]) - int(d["first_version"]) + 1
                         for d in client[db_name]["es_commits"].find(
                             {}, {"first_version": 1, "last_version": 1}))
    return total


def load(platform: Platform, first: int, last: int, clients: int,
         before_filing: Callable[[], dict[str, float]] = dict) -> dict[str, Any]:
    """Institutions first..last-1: push in batches, ``before_filing`` (the history), then
    file with ``clients`` threads."""
    with tqdm(total=last - first, desc=f"push {first:,}-{last:,}", unit=" records",
              file=sys.stderr) as bar:
        for start in range(first, last, PUSH_BATCH):
            batch = range(start, min(start + PUSH_BATCH, last))
            platform.push(batch)
            bar.update(len(batch))
    before = before_filing()
    sampler = LagSampler(platform)
    sampler.start()
    latencies: list[float] = []
    bar = tqdm(total=last - first, desc=f"file {first:,}-{last:,}", unit=" filings",
               file=sys.stderr)

    def one(n: int) -> None:
        latencies.append(platform.file(n))
        sampler.accepted(n, time.perf_counter())
        bar.update(1)

    meter = CpuMeter()
    meter.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in pool.map(one, range(first, last)):
            pass
    elapsed = time.perf_counter() - started
    cores, by_role = meter.stop()
    bar.close()
    sampler.finish()
    lags = sampler.lags or [float("nan")]
    per_s = (last - first) / elapsed
    return {**before, "filings_per_s": per_s,
            "filing_p99_ms": percentile(latencies, 99) * 1000, "filing_cores": cores,
            "filing_cpu_ms": {name: round(used * 1000 / per_s, 2)
                              for name, used in by_role.items() if used * 1000 / per_s >= 0.05},
            "lag_p50_ms": statistics.median(lags) * 1000,
            "lag_p95_ms": percentile(lags, 95) * 1000, "lag_max_ms": max(lags) * 1000,
            "lag_samples": len(sampler.lags)}


def warm_up(platform: Platform) -> None:
    """One institution outside the counted ones, filed and seen (consumer groups joined)."""
    n = WARM_UP
    platform.push(range(n, n + 1))
    platform.file(n)
    deadline = time.perf_counter() + LAG_TIMEOUT
    while not platform.visible(n):
        if time.perf_counter() > deadline:
            raise TimeoutError("the warm-up filing never became public")
        time.sleep(0.05)


def catch_up(platform: Platform, n: int) -> float:
    """Seconds after the load until the directory lists all ``n`` (+ warm-up) institutions."""
    started = time.perf_counter()
    while platform.total() < n + 1:
        if time.perf_counter() - started > CATCH_UP_TIMEOUT:
            raise TimeoutError(f"directory below {n} after {CATCH_UP_TIMEOUT}s")
        time.sleep(0.2)
    return time.perf_counter() - started


CSV_SAMPLES = 3  # full downloads per size; the median is reported


def _paced(read: Callable[[], float]) -> list[float]:
    """READ_SAMPLES timings of ``read``, started READ_EVERY apart."""
    out = []
    for _ in range(READ_SAMPLES):
        started = time.perf_counter()
        out.append(read())
        time.sleep(max(0.0, READ_EVERY - (time.perf_counter() - started)))
    return out


def page_and_search(platform: Platform, n: int, rng: random.Random,
                    prefix: str = "") -> dict[str, float]:
    """p95 of directory pages (random pages) and name searches (random words)."""
    pages = max(1, n // 20)
    page = _paced(lambda: platform.timed_get(f"{API}/institutions",
                                             {"page": rng.randint(1, pages)}))
    search = _paced(lambda: platform.timed_get(f"{API}/institutions",
                                               {"q": rng.choice(WORDS)}))
    return {f"{prefix}page_p95_ms": percentile(page, 95) * 1000,
            f"{prefix}search_p95_ms": percentile(search, 95) * 1000}


def settle(server_pid: int | None) -> float:
    """Seconds until the MongoDB server (which every service, relay and consumer uses) is
    busy less than SETTLED_BUSY of a core over SETTLE_WINDOW: the stack has worked through
    the load. NaN when the server is not ours to watch."""
    if server_pid is None or not Path(f"/proc/{server_pid}/stat").exists():
        progress("scale: the MongoDB server is not a local process: reads at rest not waited for")
        return float("nan")
    started = time.perf_counter()
    while time.perf_counter() - started < SETTLE_TIMEOUT:
        before = cpu_seconds(server_pid)
        time.sleep(SETTLE_WINDOW)
        if (cpu_seconds(server_pid) - before) / SETTLE_WINDOW < SETTLED_BUSY:
            return time.perf_counter() - started
    raise TimeoutError(f"the stack did not settle in {SETTLE_TIMEOUT}s")


def reads(platform: Platform, n: int, rng: random.Random,
          server_pid: int | None) -> dict[str, float]:
    """Pages and searches at once and at rest; rows/s of the full CSV (at rest)."""
    out = page_and_search(platform, n, rng)
    out["settle_s"] = settle(server_pid)
    out.update(page_and_search(platform, n, rng, "rest_"))
    csv = []
    for _ in range(CSV_SAMPLES):  # one download is at the mercy of what else runs then
        rows, seconds = platform.csv_rows()
        if rows < n:
            raise RuntimeError(f"the CSV has {rows} rows, expected {n}")
        csv.append(rows / seconds)
    return {**out, "csv_rows_per_s": statistics.median(csv)}


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_SCALE_N", "10000")
    values = sorted({int(v) for v in raw.split(",") if v.strip()})
    if not values or values[0] <= 0:
        raise SystemExit("BENCH_SCALE_N: comma-separated positive institution counts")
    return values


def table(rows: list[Row]) -> str:
    head = ("institutions", "events", "history ev/s", "history s", "filings/s", "p99 ms",
            "cores", "lag p50", "lag p95", "lag max", "catch-up s", "page p95", "search p95",
            "settle s", "rest page", "rest search", "CSV rows/s")
    lines = ["  ".join(f"{h:>12}" for h in head)]
    for r in rows:
        cells = (f"{r.institutions:,}", f"{r.events:,}", f"{r.history_events_per_s:,.0f}",
                 f"{r.history_applied_s:,.0f}", f"{r.filings_per_s:,.1f}",
                 f"{r.filing_p99_ms:,.0f}", f"{r.filing_cores:.2f}",
                 f"{r.lag_p50_ms:,.0f}", f"{r.lag_p95_ms:,.0f}", f"{r.lag_max_ms:,.0f}",
                 f"{r.catch_up_s:,.1f}", f"{r.page_p95_ms:,.0f}", f"{r.search_p95_ms:,.0f}",
                 f"{r.settle_s:,.1f}", f"{r.rest_page_p95_ms:,.0f}",
                 f"{r.rest_search_p95_ms:,.0f}", f"{r.csv_rows_per_s:,.0f}")
        lines.append("  ".join(f"{c:>12}" for c in cells))
    for r in rows:  # where the filings' CPU went
        top = ", ".join(f"{name} {ms:.1f}" for name, ms in list(r.filing_cpu_ms.items())[:8])
        lines.append(f"{r.institutions:,}: CPU ms per filing by process: {top}")
    lines.append("events: in every event store at rest; history ev/s: the bulk load's "
                 "insert rate; history s: until the directory applied it and the stack "
                 "settled; cores: the machine's busy cores while filing; latencies in ms; "
                 "lag = filing accepted -> visible on the public JSON while loading; "
                 "page/search p95 right after the directory caught up, "
                 "rest page/search once the stack settled (settle s later); targets at 100k: "
                 ">=200 filings/s, p99<=200, lag<=2000, page p95<=100, search p95<=300, "
                 "CSV>=20,000 rows/s")
    return "\n".join(lines)


def main() -> None:
    from devtools.devstack.stack import Stack

    targets, clients = sizes(), int(os.environ.get("BENCH_SCALE_CLIENTS", "8"))
    per_institution = int(os.environ.get("BENCH_SCALE_EVENTS", "10"))
    rng, rows, started = random.Random(2026), [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp, \
            Stack(data_dir=Path(tmp), demo=False) as st:
        platform = Platform(st.urls["registry"], st.urls["projection"],
                            lambda: st.tokens("market_supervision", scope="registrations:push"),
                            lambda: st.token("civil_affairs"))
        progress(f"scale: stack up; sizes {targets}, {clients} clients; warming up")
        procs = getattr(st.infra, "procs", None) or [None]
        server_pid = getattr(procs[0], "pid", None)
        assert st.infra is not None
        client: MongoClient = MongoClient(st.infra.mongo_uri)
        registry = MongoEventStore(client["eldercare_registry"], "registry")
        warm_up(platform)
        loaded = 0
        for n in targets:
            figures = load(platform, loaded, n, clients, functools.partial(
                history, registry, client["eldercare_projection"], loaded, n,
                per_institution, server_pid))
            loaded = n
            figures["catch_up_s"] = catch_up(platform, n)
            figures.update(reads(platform, n, rng, server_pid))
            figures["events"] = stored_events(client)
            rows.append(Row(institutions=n, **figures))
            progress(f"scale: {n:,} institutions done")
            # each size as soon as it is done: its row and where its CPU went
            print("\n".join(table(rows[-1:]).splitlines()[1:3]), flush=True)
            save(rows, clients, started)
    print(table(rows), flush=True)
    progress(f"wrote {RESULTS.relative_to(ROOT)}")


def save(rows: list[Row], clients: int, started: float) -> None:
    """The rows so far (a later size that fails keeps the earlier ones)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "meta": {"when": datetime.now(UTC).isoformat(), "clients": clients,
                 "cpus": os.cpu_count(), "seconds": round(time.perf_counter() - started, 1)},
        "rows": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
