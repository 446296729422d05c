"""The 双随机 draw at scale: 100,000 institutions and 5,000 inspectors with conflicts,
against a plain random.sample of the same size, measured in the same run (median of repeats).

    python -m tests.bench.draw      (also called from tests.bench.run)
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from inspection.domain.canonical import ALGORITHM, conflict_tag, digest
from inspection.domain.draw import draw

from tests.bench.common import env_int, progress

DEPTS = ("civil_affairs", "market_supervision")


def snapshot(institutions: int, inspectors: int,
             conflicts_each: int = 3) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A joint plan over a synthetic directory (fixed generator seed: same data every run),
    with its declared conflicts sealed per object, and those conflicts (uscc -> keys)."""
    rng = random.Random(2026)
    usccs = [f"91500103MA{n:08d}" for n in range(institutions)]
    staff = [{"key": f"{DEPTS[n % 2]}/I{n:05d}", "department": DEPTS[n % 2],
              "active": rng.random() > 0.05} for n in range(inspectors)]
    conflicts: dict[str, list[str]] = {u: [] for u in usccs}
    for i in staff:
        for u in rng.sample(usccs, conflicts_each):
            conflicts[u].append(i["key"])
    objects = [{"uscc": u, "credit_level": rng.choice("AABBBBBCCD"), "district_code": "500103",
                "operator_type": "private_profit", "excluded": False,
                "conflict_tag": conflict_tag({"uscc": u, "salt": f"{n:032x}",
                                              "inspectors": sorted(conflicts[u])})}
               for n, u in enumerate(usccs)]
    return {"algorithm": ALGORITHM, "plan_id": "bench", "departments": list(DEPTS),
            "team_size": 2, "ratios_bp": {"A": 300, "B": 500, "C": 2000, "D": 6000},
            "objects": objects, "inspectors": sorted(staff, key=lambda i: i["key"]),
            "last_inspectors": {}}, conflicts


def bench_draw(repeats: int, institutions: int = 100_000,
               inspectors: int = 5_000) -> dict[str, Any]:
    """Median seconds of our draw and of random.sample(population, k) with the same k."""
    snap, conflicts = snapshot(institutions, inspectors)
    ours, base, hashing, drawn = [], [], [], 0
    for r in range(repeats):
        t0 = time.perf_counter()
        result = draw(f"bench-seed-{r}", snap, conflicts)
        ours.append(time.perf_counter() - t0)
        drawn = len(result["tasks"])
        t0 = time.perf_counter()
        random.Random(r).sample(snap["objects"], drawn)
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        digest(snap)
        hashing.append(time.perf_counter() - t0)
        progress(f"draw run {r + 1}/{repeats}: {ours[-1]:.3f}s for {drawn} tasks "
                 f"vs random.sample {base[-1] * 1000:.2f} ms")
    med, med_base = statistics.median(ours), statistics.median(base)
    return {"institutions": institutions, "inspectors": inspectors, "tasks": drawn,
            "draw_s": round(med, 4), "random_sample_s": round(med_base, 6),
            "ratio": round(med / med_base, 1), "snapshot_hash_s":
            round(statistics.median(hashing), 4)}


def line(result: dict[str, Any]) -> str:
    return (f"draw ({result['institutions']:,} institutions, {result['inspectors']:,} inspectors,"
            f" {result['tasks']:,} tasks): {result['draw_s']:.3f} s vs random.sample "
            f"{result['random_sample_s'] * 1000:.2f} ms = {result['ratio']:,}x; "
            f"snapshot hash {result['snapshot_hash_s']:.3f} s")


if __name__ == "__main__":
    print(line(bench_draw(env_int("BENCH_REPEATS", 5))))
