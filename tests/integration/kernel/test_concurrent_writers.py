"""Optimistic concurrency under real concurrency: processes and threads on one stream."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from shared.eventstore import CommitMeta, ConcurrencyConflict, NewEvent

PROCS = 4
VERSIONS = 25


def _run_writers(infra, db: str, mode: str, n: int) -> list:
    cmds = [[sys.executable, "-m", "tests.integration.kernel.procs", mode, infra.mongo_uri, db,
             "s-race", f"w{i}", str(n)] for i in range(PROCS)]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in cmds]
    outs = [p.communicate(timeout=240)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return [json.loads(o.strip().splitlines()[-1]) for o in outs]


def test_processes_racing_on_each_version_have_exactly_one_winner(infra, mongo_store):
    won = _run_writers(infra, mongo_store.db.name, "race", VERSIONS)
    all_won = sorted(v for w in won for v in w)
    assert all_won == list(range(VERSIONS))  # one winner per version, none lost
    events = mongo_store.load("s-race").events
    assert [e.stream_version for e in events] == list(range(1, VERSIONS + 1))
    for e in events:  # the stored event is the winner's own, not interleaved
        assert f"w{[i for i, w in enumerate(won) if e.data['n'] in w][0]}" == e.data["writer"]


def test_processes_retrying_on_conflict_lose_nothing(infra, mongo_store):
    counts = _run_writers(infra, mongo_store.db.name, "retry", 10)
    assert counts == [10] * PROCS
    events = mongo_store.load("s-race").events
    assert len(events) == 10 * PROCS
    per_writer = {f"w{i}": [e.data["n"] for e in events if e.data["writer"] == f"w{i}"]
                  for i in range(PROCS)}
    assert all(ns == list(range(10)) for ns in per_writer.values())


def test_threads_racing_on_one_version_have_one_winner(mongo_store):
    def attempt(i: int) -> bool:
        try:
            mongo_store.append("s-threads", 0, [NewEvent("ThingHappened", {"n": i})],
                               CommitMeta())
            return True
        except ConcurrencyConflict:
            return False

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count(True) == 1
    assert mongo_store.load("s-threads").version == 1


def test_multi_event_commit_is_all_or_nothing_under_race(mongo_store):
    mongo_store.append("s-m", 0, [NewEvent("ThingHappened", {"n": i}) for i in range(3)],
                       CommitMeta())
    try:
        mongo_store.append("s-m", 0, [NewEvent("ThingHappened", {"n": 9})] * 2, CommitMeta())
    except ConcurrencyConflict:
        pass
    assert [e.data["n"] for e in mongo_store.load("s-m").events] == [0, 1, 2]
