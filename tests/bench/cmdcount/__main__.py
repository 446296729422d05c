"""``python -m tests.bench.cmdcount DIR [TOP]``: MongoDB commands per process and collection
counted by tests/bench/cmdcount/sitecustomize.py during a run, the largest first; then, when
the stand-in server was started with it too, the server's own time per command shape."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path


def main(folder: str, top: int = 30) -> None:
    count: collections.Counter[tuple[str, str]] = collections.Counter()
    micros: collections.Counter[tuple[str, str]] = collections.Counter()
    for path in Path(folder).glob("[0-9]*.json"):
        seen = json.loads(path.read_text(encoding="utf-8"))
        argv = seen["argv"]
        web = next((a for a in argv if ":create_app" in a), None)
        who = (web.split(".")[0] + " web" if web
               else "/".join(Path(argv[0]).parts[-2:]) if argv else "?")
        for key, n in seen["count"].items():
            count[(who, key)] += n
            micros[(who, key)] += seen["us"][key]
    print(f"{sum(count.values()):,} commands")
    for (who, key), n in count.most_common(top):
        print(f"{n:8,d}  {micros[(who, key)] / n / 1000:7.1f} ms avg  {who:40s} {key}")
    server = Path(folder) / "server.json"
    if server.exists():
        seen = json.loads(server.read_text(encoding="utf-8"))
        total = sum(seen["us"].values())
        print(f"server: {total / 1e6:,.1f} s busy over {sum(seen['count'].values()):,} commands")
        for key, us in collections.Counter(seen["us"]).most_common(top):
            n = seen["count"][key]
            print(f"{us / 1e6:8.1f} s {us / total:6.1%} {n:8,d} x {us / n / 1000:6.2f} ms  {key}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30)
