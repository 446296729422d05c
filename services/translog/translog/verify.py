"""Check the transparency log with nothing but its public endpoints and its verifier key:

    python -m translog.verify checkpoint --url URL --key VKEY --out FILE
    python -m translog.verify inclusion  --url URL --key VKEY --index N
    python -m translog.verify consistency --key VKEY --old FILE --new FILE [--url URL]

``checkpoint`` saves the signed checkpoint it verified (keep them: a later one must be
consistent with it). ``inclusion`` recomputes entry N's leaf from its record and salt and
checks its audit path against the current signed checkpoint. ``consistency`` checks that the
newer saved checkpoint extends the older one: a rewritten or forked history fails. Exit 0 on
success, 1 with the reason otherwise. No other trust is needed: the key comes out of band.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import requests

from shared.tlog import Failed, check_consistency, check_inclusion, get, open_checkpoint


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m translog.verify")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("checkpoint", "inclusion", "consistency"):
        c = sub.add_parser(name)
        c.add_argument("--url", default="http://127.0.0.1:8010")
        c.add_argument("--key", required=True, help="the log's verifier key (out of band)")
        if name == "checkpoint":
            c.add_argument("--out", required=True, type=Path)
        if name == "inclusion":
            c.add_argument("--index", required=True, type=int)
        if name == "consistency":
            c.add_argument("--old", required=True, type=Path)
            c.add_argument("--new", required=True, type=Path)
    a = p.parse_args(argv)
    try:
        if a.command == "checkpoint":
            note = get(a.url, "/checkpoint").text
            head = open_checkpoint(a.key, note)
            a.out.write_text(note, encoding="utf-8")
            print(f"checkpoint of {head.size} entries verified and saved to {a.out}")
        elif a.command == "inclusion":
            print(check_inclusion(a.url, a.key, a.index))
        else:
            print(check_consistency(a.url, a.key, a.old.read_text(encoding="utf-8"),
                                    a.new.read_text(encoding="utf-8")))
    except (Failed, requests.RequestException) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
