"""Liveness of the worker processes (relays, consumers, schedulers) for container health checks.

Every turn of a worker's loop calls ``beat()``: with ELDERCARE_HEARTBEAT_FILE set, that file's
modification time is set (at most once a second; nothing happens without the variable). The
health check of a worker container runs

    python -m shared.heartbeat --max-age 90

which exits 0 when the loop beat within that many seconds and 1 otherwise (a hung loop, a
deadlock), whatever else the process still does. A standby relay or scheduler beats too: it is
alive, waiting for the lease.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ENV = "ELDERCARE_HEARTBEAT_FILE"
_last = 0.0


def beat() -> None:
    global _last
    path = os.environ.get(ENV)
    if not path:
        return
    now = time.monotonic()
    if now - _last < 1.0:
        return
    _last = now
    Path(path).touch()


def age(path: str) -> float | None:
    """Seconds since the last beat, None if there was none."""
    try:
        return time.time() - Path(path).stat().st_mtime
    except FileNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m shared.heartbeat")
    p.add_argument("--max-age", type=float, default=90.0)
    args = p.parse_args(argv)
    path = os.environ.get(ENV)
    if not path:
        print(f"{ENV} is not set", file=sys.stderr)
        return 1
    seen = age(path)
    if seen is None or seen > args.max_age:
        print("no beat yet" if seen is None else f"last beat {seen:.0f} s ago", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
