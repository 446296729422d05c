"""Re-run any past draw locally and say whether it matches what was published.

    python -m inspection.verify --plan 2026-joint-1 [--url http://127.0.0.1:8002]
    python -m inspection.verify --file draw.json   # {seed, commitment, snapshot_hash,
                                                   #  result_hash, snapshot,
                                                   #  conflict_openings, replacements}

Recomputes the draw and every replacement after a recusal (in sequence order) and checks the
opened conflict tags of the drawn institutions. Exit status 0 when everything matches, 1
otherwise. Only the published algorithm in inspection.domain runs here: nothing is trusted
from the server but the data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from inspection.domain.draw import verify

DEFAULT_URL = "http://127.0.0.1:8002"


def from_service(url: str, plan_id: str) -> dict[str, Any]:
    """The published draw, its replacements and the snapshot bytes, from the public API."""
    import requests

    base = f"{url.rstrip('/')}/api/v1/plans/{plan_id}"
    plan = requests.get(base, timeout=30)
    plan.raise_for_status()
    body = plan.json()
    draw = body.get("draw")
    if not draw:
        raise SystemExit(f"plan {plan_id} has not been drawn yet")
    snapshot = requests.get(f"{base}/snapshot", timeout=60)
    snapshot.raise_for_status()
    return {**{k: draw[k] for k in ("seed", "commitment", "snapshot_hash", "result_hash")},
            "conflict_openings": draw.get("conflict_openings", []),
            "replacements": body.get("replacements", []),
            "snapshot": json.loads(snapshot.content)}


def check(record: dict[str, Any]) -> dict[str, Any]:
    return verify(record["seed"], record["snapshot"], record["commitment"],
                  record["snapshot_hash"], record["result_hash"],
                  openings=record.get("conflict_openings", []),
                  replacements=record.get("replacements", []))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="复算并核验一次双随机抽取")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--plan", help="plan id, fetched from the inspection service's public API")
    src.add_argument("--file", type=Path, help="a JSON file with seed, hashes and snapshot")
    p.add_argument("--url", default=DEFAULT_URL, help=f"inspection service (default {DEFAULT_URL})")
    p.add_argument("--seed", help="override the seed (to see a tampered seed fail)")
    a = p.parse_args(argv)
    record = (json.loads(a.file.read_text(encoding="utf-8")) if a.file
              else from_service(a.url, a.plan))
    if a.seed:
        record["seed"] = a.seed
    result = check(record)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print("MATCH: 抽取结果与公布一致" if result["matches"] else "MISMATCH: 与公布内容不符",
          file=sys.stderr)
    return 0 if result["matches"] else 1


if __name__ == "__main__":
    sys.exit(main())
