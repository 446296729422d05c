"""What every measurement needs: servers, fresh databases and topics, events, a stopwatch."""

from __future__ import annotations

import gc
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pymongo import MongoClient
from pymongo.database import Database

from shared import kafka
from shared.clock import SystemClock
from shared.envelope import Envelope
from shared.eventstore import CommitMeta, MongoEventStore, NewEvent, build_envelopes

ROOT = Path(__file__).resolve().parents[2]
TEST_CONTRACTS = ROOT / "tests" / "fixtures" / "contracts"
SERVICE = "kerneltest"  # the kernel's own test event, published only under tests/fixtures
META = CommitMeta("bench-command", "admin", "bench")
_STARTED = time.perf_counter()


def progress(message: str) -> None:
    """One progress line on stderr (the table goes to stdout)."""
    print(f"[{time.perf_counter() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Sizes:
    """Events per repeat; defaults keep the whole bench under 5 minutes on 2 cores."""

    repeats: int = 5
    append: int = 1500
    relay: int = 10000
    consume: int = 1000
    e2e: int = 20
    command: int = 2000
    rebuild: int = 2000

    @classmethod
    def from_env(cls) -> Sizes:
        return cls(repeats=env_int("BENCH_REPEATS", 5), append=env_int("BENCH_APPEND_N", 1500),
                   relay=env_int("BENCH_RELAY_N", 10000),
                   consume=env_int("BENCH_CONSUME_N", 1000), e2e=env_int("BENCH_E2E_N", 20),
                   command=env_int("BENCH_COMMAND_N", 2000),
                   rebuild=env_int("BENCH_REBUILD_N", 2000))


@dataclass(frozen=True)
class Pair:
    """One repeat of one operation: our events/s and a raw baseline's, measured back to back."""

    operation: str
    baseline: str
    ours: float
    base: float


@dataclass
class BenchEnv:
    """Servers of this run; every database and topic made here is removed by cleanup()."""

    kafka: str
    mongo_uri: str
    sizes: Sizes
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    databases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mongo: MongoClient = MongoClient(self.mongo_uri, tz_aware=True,
                                              serverSelectionTimeoutMS=10000)

    def database(self, name: str) -> Database:
        full = f"bench_{self.run_id}_{name}"
        self.databases.append(full)
        return self.mongo[full]

    def store(self, name: str) -> MongoEventStore:
        """A fresh event store with the kernel's indexes."""
        store = MongoEventStore(self.database(name), SERVICE)
        store.ensure_indexes()
        return store

    def topic(self, name: str, partitions: int = 3) -> str:
        full = f"bench.{self.run_id}.{name}"
        kafka.ensure_topics(self.kafka, [full], partitions)
        self.topics.append(full)
        return full

    def cleanup(self) -> None:
        from confluent_kafka.admin import AdminClient

        for name in self.databases:
            self.mongo.drop_database(name)
        if self.topics:
            futures = AdminClient({"bootstrap.servers": self.kafka}).delete_topics(self.topics)
            for fut in futures.values():
                fut.exception(15)
        self.mongo.close()


def thing(n: int) -> NewEvent:
    return NewEvent("ThingHappened", {"n": n})


def envelopes(stream_id: str, count: int, position: int) -> list[Envelope]:
    """``count`` validated events opening one stream (versions 1..count)."""
    return build_envelopes(SERVICE, stream_id, 0, [thing(i) for i in range(count)], META,
                           SystemClock(), position)


def commit_documents(store: MongoEventStore, prefix: str, commits: int,
                     per_commit: int) -> list[dict]:
    """The very documents ``store.append`` would insert, one new stream per commit."""
    base = time.time_ns()
    docs = []
    for i in range(commits):
        envs = envelopes(f"{prefix}-{i}", per_commit, base + i)
        docs.append(store._doc(f"{prefix}-{i}", 0, envs, base + i))  # its own format
    return docs


def rate(count: int, fn: Callable[[], object]) -> float:
    """Run ``fn`` once and return ``count`` per second of its wall time.

    Every timed side starts alike: the garbage of earlier runs collected and the harness's
    own objects (clients, results, imported modules) frozen out of the collector's scans,
    so a full collection costs each side what its own objects cost, not what the benches
    before it left on the heap."""
    gc.collect()
    gc.freeze()
    try:
        started = time.perf_counter()
        fn()
        return count / (time.perf_counter() - started)
    finally:
        gc.unfreeze()
