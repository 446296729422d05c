"""`python -m tests.bench.run` (make bench): the kernel against raw clients, same servers.

Every ratio compares our code with a raw pymongo / confluent-kafka baseline measured in the
same run on the same servers, as the median of BENCH_REPEATS runs (default 5). Servers: the
ones named by KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI if both are set, else the embedded
stand-ins on free ports. Sizes: BENCH_APPEND_N, BENCH_RELAY_N, BENCH_CONSUME_N, BENCH_E2E_N
(BENCH_E2E_N=0 skips the end-to-end latency), BENCH_COMMAND_N and BENCH_REBUILD_N (the
comparisons with the Python eventsourcing library, tests/bench/library.py); BENCH_ONLY=names
(comma-separated bench function names, e.g. bench_commands) runs only those.
BENCH_READS_N="10000 30000" adds the directory's reads at those sizes (tests/bench/reads.py).
Results: stdout and bench-results/latest.json.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.devstack import infra
from tests.bench.common import ROOT, TEST_CONTRACTS, BenchEnv, Pair, Sizes, progress
from tests.bench.consume import bench_consume
from tests.bench.e2e import bench_end_to_end
from tests.bench.library import bench_commands, bench_rebuild
from tests.bench.relay import bench_relay
from tests.bench.report import summarize, table, write_json
from tests.bench.store import bench_append

RESULTS = ROOT / "bench-results" / "latest.json"
KERNEL_BENCHES = (bench_append, bench_relay, bench_consume, bench_commands, bench_rebuild)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(message)s")
    _use_test_contracts()
    sizes = Sizes.from_env()
    started = time.perf_counter()
    progress(f"sizes per run: {sizes}")
    with servers() as (kafka, mongo_uri, kind):
        progress(f"servers: {kind}")
        pairs = run_kernel(BenchEnv(kafka, mongo_uri, sizes))
    e2e = end_to_end(sizes.e2e)
    rows = summarize(pairs)
    print(table(rows, e2e), flush=True)
    print(draw_bench(sizes.repeats), flush=True)
    if os.environ.get("BENCH_READS_N"):  # optional: loading the sizes takes minutes
        from tests.bench import reads

        reads.main(["--institutions", *os.environ["BENCH_READS_N"].split()])
    meta = {"when": datetime.now(UTC).isoformat(), "servers": kind,
            "sizes": sizes.__dict__, "seconds": round(time.perf_counter() - started, 1)}
    write_json(RESULTS, rows, pairs, e2e, meta)
    progress(f"wrote {RESULTS.relative_to(ROOT)}")


def _use_test_contracts() -> None:
    """The kernel's own test event (kerneltest.ThingHappened) is published only there."""
    extra = [p for p in os.environ.get("ELDERCARE_EXTRA_CONTRACTS", "").split(os.pathsep) if p]
    if str(TEST_CONTRACTS) not in extra:
        os.environ["ELDERCARE_EXTRA_CONTRACTS"] = os.pathsep.join([*extra, str(TEST_CONTRACTS)])


@contextmanager
def servers() -> Iterator[tuple[str, str, str]]:
    """External servers if both variables are set, else the stand-ins, stopped afterwards."""
    kafka, mongo_uri = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URI")
    if kafka and mongo_uri:
        yield kafka, mongo_uri, "external (KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI)"
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        started = infra.start_embedded(Path(tmp) / "mongo", infra.free_port(),
                                       infra.free_port(), Path(tmp) / "logs")
        try:
            yield started.kafka, started.mongo_uri, started.kind
        finally:
            started.stop()


def run_kernel(env: BenchEnv) -> list[Pair]:
    """Every kernel bench, BENCH_REPEATS times, interleaved so drift hits all alike."""
    pairs: list[Pair] = []
    try:
        for repeat in range(env.sizes.repeats):
            for bench in selected():
                for p in bench(env, repeat):
                    progress(f"run {repeat + 1}/{env.sizes.repeats} {p.operation}: "
                             f"{p.ours:,.0f}/s vs {p.baseline} {p.base:,.0f}/s")
                    pairs.append(p)
    finally:
        env.cleanup()
    return pairs


def selected() -> list[Callable[[BenchEnv, int], list[Pair]]]:
    """KERNEL_BENCHES, or the ones BENCH_ONLY names."""
    only = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
    return [b for b in KERNEL_BENCHES if not only or b.__name__ in only]


def draw_bench(repeats: int) -> str:
    """The inspection draw (100k institutions, 5k inspectors) against random.sample."""
    from tests.bench.draw import bench_draw, line

    return line(bench_draw(repeats))


def end_to_end(n: int) -> dict[str, Any] | str:
    """Latency through the whole platform; never lets a missing stack stop the report."""
    if n <= 0:
        return "end-to-end: skipped (BENCH_E2E_N=0)"
    progress(f"end-to-end: starting the stack for {n} filings")
    try:
        return bench_end_to_end(n)
    except Exception as exc:  # noqa: BLE001 - the kernel results are still worth printing
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        return f"end-to-end: skipped (stack not available: {reason})"


if __name__ == "__main__":
    main()
