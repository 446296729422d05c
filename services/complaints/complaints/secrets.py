"""``python -m complaints.secrets init --file PATH``: a new secrets file (mode 0600); an existing
file is never overwritten (a new master key would make every stored complaint unreadable)."""

from __future__ import annotations

import argparse
from pathlib import Path

from complaints.app.secrets import write_new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints.secrets")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="write a new secrets file (never overwrites)")
    init.add_argument("--file", required=True, type=Path)
    args = parser.parse_args(argv)
    if write_new(args.file):
        print(f"wrote {args.file} (mode 0600)")
        return 0
    print(f"{args.file} exists; left unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
