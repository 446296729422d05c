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
from typing import Any

import requests

from shared import merkle
from shared.signednote import Checkpoint, NoteError, Verifier
from translog.domain.leaves import leaf_data

PREFIX = "/api/v1/log"


class Failed(Exception):
    pass


def _get(url: str, path: str, params: dict[str, Any] | None = None) -> requests.Response:
    resp = requests.get(url.rstrip("/") + PREFIX + path, params=params, timeout=15)
    if resp.status_code != 200:
        raise Failed(f"{path}: HTTP {resp.status_code}")
    return resp


def open_checkpoint(key: str, note: str) -> Checkpoint:
    try:
        return Checkpoint.parse(Verifier.parse(key).open(note))
    except NoteError as exc:
        raise Failed(f"checkpoint: {exc}") from exc


def check_inclusion(url: str, key: str, index: int) -> str:
    head = open_checkpoint(key, _get(url, "/checkpoint").text)
    if not 0 <= index < head.size:
        raise Failed(f"entry {index} is not in the signed tree of {head.size}")
    e = _get(url, f"/entries/{index}").json()
    if e.get("public"):
        computed = leaf_data(bytes.fromhex(e["salt"]), e["record"]).hex()
        if computed != e["leaf"]:
            raise Failed(f"entry {index}: its record and salt do not hash to its leaf")
    proof = _get(url, "/proofs/inclusion", {"index": index, "size": head.size}).json()["proof"]
    ok = merkle.verify_inclusion(index, head.size, merkle.leaf_hash(bytes.fromhex(e["leaf"])),
                                 [bytes.fromhex(p) for p in proof], head.root)
    if not ok:
        raise Failed(f"entry {index} is not included in the signed tree of {head.size}")
    return (f"entry {index} is included in the tree of {head.size} signed by "
            f"{Verifier.parse(key).name}" + ("" if e.get("public") else
                                              " (its record has been taken down)"))


def check_consistency(url: str, key: str, old_note: str, new_note: str) -> str:
    old, new = open_checkpoint(key, old_note), open_checkpoint(key, new_note)
    if old.origin != new.origin:
        raise Failed("the two checkpoints are of different logs")
    if new.size < old.size:
        old, new = new, old
    if old.size == 0 or old.size == new.size:
        if old.size == new.size and old.root != new.root:
            raise Failed(f"two different trees of size {old.size}: a forked log")
        return f"checkpoints {old.size} and {new.size} are consistent"
    proof = _get(url, "/proofs/consistency", {"first": old.size, "second": new.size}).json()
    if not merkle.verify_consistency(old.size, new.size,
                                     [bytes.fromhex(p) for p in proof["proof"]],
                                     old.root, new.root):
        raise Failed(f"the tree of {new.size} does not extend the tree of {old.size}: "
                     "history was rewritten")
    return f"the tree of {new.size} extends the tree of {old.size}"


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
            note = _get(a.url, "/checkpoint").text
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
