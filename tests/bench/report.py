"""Medians per operation, the printed table and bench-results/latest.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.bench.common import Pair


@dataclass(frozen=True)
class Row:
    """One operation against one baseline: medians over the repeats."""

    operation: str
    baseline: str
    ours: float
    base: float
    ratio: float  # median of the per-repeat ratios ours/baseline
    runs: int


def summarize(pairs: list[Pair]) -> list[Row]:
    groups: dict[tuple[str, str], list[Pair]] = {}
    for p in pairs:
        groups.setdefault((p.operation, p.baseline), []).append(p)
    return [Row(op, base, statistics.median(p.ours for p in ps),
                statistics.median(p.base for p in ps),
                statistics.median(p.ours / p.base for p in ps), len(ps))
            for (op, base), ps in groups.items()]


def table(rows: list[Row], e2e: dict[str, Any] | str) -> str:
    widths = (50, 9, 38, 11, 7, 5)
    head = ("operation", "ours/s", "baseline", "baseline/s", "ratio", "runs")
    lines = [_line(head, widths), _line(tuple("-" * w for w in widths), widths)]
    for r in rows:
        lines.append(_line((r.operation, f"{r.ours:,.0f}", r.baseline, f"{r.base:,.0f}",
                            f"{r.ratio:.3f}", str(r.runs)), widths))
    lines.append("events/s; medians over the runs; ratio = median of per-run ours/baseline, "
                 "both measured back to back on the same servers")
    if isinstance(e2e, dict):
        lines.append(f"end-to-end (filing accepted -> visible on public JSON), n={e2e['n']}: "
                     f"p50 {e2e['p50_ms']:.0f} ms, p99 {e2e['p99_ms']:.0f} ms, "
                     f"max {e2e['max_ms']:.0f} ms")
        if "to_broker_p50_ms" in e2e:
            lines.append(f"  of which p50 {e2e['to_broker_p50_ms']:.0f} ms until the event "
                         f"was on the broker, {e2e['after_broker_p50_ms']:.0f} ms after it")
    else:
        lines.append(e2e)
    return "\n".join(lines)


def _line(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    out = []
    for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
        out.append(cell.ljust(w) if i in (0, 2) else cell.rjust(w))
    return "  ".join(out).rstrip()


def write_json(path: Path, rows: list[Row], pairs: list[Pair], e2e: dict[str, Any] | str,
               meta: dict[str, Any]) -> None:
    meta = {**meta, "python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count()}
    doc = {"meta": meta, "rows": [asdict(r) for r in rows], "runs": [asdict(p) for p in pairs],
           "end_to_end": e2e}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
