"""Re-run any past draw locally and say whether it matches what was published.

    python -m inspection.verify --plan 2026-joint-1 [--url http://127.0.0.1:8002]
                                [--log-url http://127.0.0.1:8010 --log-key VKEY]
    python -m inspection.verify --file draw.json   # {seed, commitment, snapshot_hash,
                                                   #  result_hash, snapshot,
                                                   #  conflict_openings, replacements,
                                                   #  [plan_id, secret, attempt,
                                                   #   beacon_checkpoint, attempts]}

Recomputes the seed from the committed secret and the draw's public value (the transparency
log's checkpoint), the draw and every replacement after a recusal (in sequence order), checks
the opened conflict tags of the drawn institutions and that the chain of attempts (drawn,
failed, voided, each with its reason) is whole. With the log's address and verifier key it
also checks, against the log, that every attempt's checkpoint is genuinely signed and is the
first one holding the record that opened the attempt (so the operator could not choose it).
Exit status 0 when everything matches, 1 otherwise. Only the published algorithm runs here:
nothing is trusted from the servers but the data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from inspection.domain.canonical import beacon_key
from inspection.domain.draw import attempt_problems, verify
from shared.tlog import Failed, check_beacon

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
            **{k: draw[k] for k in ("secret", "attempt", "beacon_checkpoint") if k in draw},
            "plan_id": plan_id, "beacon": (body.get("published") or {}).get("beacon"),
            "conflict_openings": draw.get("conflict_openings", []),
            "replacements": body.get("replacements", []),
            "attempts": body.get("attempts", []),
            "snapshot": json.loads(snapshot.content)}


def check(record: dict[str, Any]) -> dict[str, Any]:
    beacon = None
    if record.get("secret"):
        beacon = {"secret": record["secret"], "plan_id": record["plan_id"],
                  "attempt": record["attempt"], "checkpoint": record["beacon_checkpoint"]}
    result = verify(record["seed"], record["snapshot"], record["commitment"],
                    record["snapshot_hash"], record["result_hash"],
                    openings=record.get("conflict_openings", []),
                    replacements=record.get("replacements", []), beacon=beacon)
    if record.get("beacon") and not record.get("secret"):
        result["checks"]["seed"] = False
        result["problems"].append("计划公布了公开随机数规则，但抽取结果没有公开秘密值与检查点")
        result["matches"] = False
    problems = attempt_problems(record.get("attempts", []))
    result["checks"]["attempts"] = not problems
    result["problems"] += problems
    result["matches"] = result["matches"] and not problems
    return result


def check_beacons(record: dict[str, Any], log_url: str, log_key: str,
                  seen: list[str] | None = None) -> list[str]:
    """Every attempt's checkpoint is the log's first signed checkpoint holding the record
    that opened it; one line per attempt checked (Failed on the first that is not)."""
    lines = []
    for a in record.get("attempts", []):
        if a["outcome"] == "voided":
            continue  # a voiding uses no public value; the redraw after it does
        key = beacon_key(record["plan_id"], int(a["attempt"]))
        check_beacon(log_url, log_key, key, a.get("beacon_checkpoint"), seen or [])
        lines.append(f"attempt {a['attempt']}: its public value is the log's first signed "
                     f"checkpoint holding {key} (entry {a.get('beacon_index')})")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="复算并核验一次双随机抽取")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--plan", help="plan id, fetched from the inspection service's public API")
    src.add_argument("--file", type=Path, help="a JSON file with seed, hashes and snapshot")
    p.add_argument("--url", default=DEFAULT_URL, help=f"inspection service (default {DEFAULT_URL})")
    p.add_argument("--seed", help="override the seed (to see a tampered seed fail)")
    p.add_argument("--log-url", help="the transparency log (checks each attempt's public value)")
    p.add_argument("--log-key", help="the log's verifier key, obtained out of band")
    p.add_argument("--seen", type=Path, action="append", default=[],
                   help="a checkpoint saved earlier (python -m translog.verify checkpoint "
                        "--out); catches a log that hid a checkpoint (repeatable)")
    a = p.parse_args(argv)
    record = (json.loads(a.file.read_text(encoding="utf-8")) if a.file
              else from_service(a.url, a.plan))
    if a.seed:
        record["seed"] = a.seed
    result = check(record)
    if a.log_url and a.log_key:
        try:
            result["log"] = check_beacons(record, a.log_url, a.log_key,
                                          [f.read_text(encoding="utf-8") for f in a.seen])
            result["checks"]["beacons"] = True
        except Failed as exc:
            result["checks"]["beacons"], result["matches"] = False, False
            result["problems"].append(f"公开随机数核验失败：{exc}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print("MATCH: 抽取结果与公布一致" if result["matches"] else "MISMATCH: 与公布内容不符",
          file=sys.stderr)
    return 0 if result["matches"] else 1


if __name__ == "__main__":
    sys.exit(main())
