"""What anyone needs to check the transparency log from its public endpoints and its
verifier key (RFC 9162 proofs over C2SP checkpoints): the leaf formula, and the inclusion,
consistency and draw-beacon checks. Used by the log itself, by its verifier CLI and by the
draw verifier, so there is one definition of each."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from shared import merkle
from shared.signednote import Checkpoint, NoteError, Verifier

PREFIX = "/api/v1/log"


class Failed(Exception):
    """A check did not hold (the message says which and why)."""


def canonical(record: dict[str, Any]) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces (the bytes that are hashed)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def leaf_data(salt: bytes, record: dict[str, Any]) -> bytes:
    """What the Merkle leaf holds: SHA-256(salt || canonical record)."""
    return hashlib.sha256(salt + canonical(record)).digest()


def get(url: str, path: str, params: dict[str, Any] | None = None) -> Any:
    import requests  # the verifiers' only network use; the log itself never calls out

    resp = requests.get(url.rstrip("/") + PREFIX + path, params=params, timeout=15)
    if resp.status_code != 200:
        raise Failed(f"{path}: HTTP {resp.status_code}")
    return resp


def open_checkpoint(key: str, note: str) -> Checkpoint:
    try:
        return Checkpoint.parse(Verifier.parse(key).open(note))
    except NoteError as exc:
        raise Failed(f"checkpoint: {exc}") from exc


def checked_entry(url: str, index: int) -> dict[str, Any]:
    """Entry ``index``; while public, its record and salt must hash to its leaf."""
    e: dict[str, Any] = get(url, f"/entries/{index}").json()
    if e.get("public"):
        computed = leaf_data(bytes.fromhex(e["salt"]), e["record"]).hex()
        if computed != e["leaf"]:
            raise Failed(f"entry {index}: its record and salt do not hash to its leaf")
    return e


def prove_inclusion(url: str, entry: dict[str, Any], head: Checkpoint) -> None:
    index = int(entry["index"])
    if not 0 <= index < head.size:
        raise Failed(f"entry {index} is not in the signed tree of {head.size}")
    proof = get(url, "/proofs/inclusion", {"index": index, "size": head.size}).json()["proof"]
    if not merkle.verify_inclusion(index, head.size,
                                   merkle.leaf_hash(bytes.fromhex(entry["leaf"])),
                                   [bytes.fromhex(p) for p in proof], head.root):
        raise Failed(f"entry {index} is not included in the signed tree of {head.size}")


def check_inclusion(url: str, key: str, index: int) -> str:
    head = open_checkpoint(key, get(url, "/checkpoint").text)
    e = checked_entry(url, index)
    prove_inclusion(url, e, head)
    return (f"entry {index} is included in the tree of {head.size} signed by "
            f"{Verifier.parse(key).name}" + ("" if e.get("public") else
                                              " (its record has been taken down)"))


def prove_consistency(url: str, old: Checkpoint, new: Checkpoint,
                      proof: list[str] | None = None) -> str:
    if old.origin != new.origin:
        raise Failed("the two checkpoints are of different logs")
    if new.size < old.size:
        old, new = new, old
    if old.size == 0 or old.size == new.size:
        if old.size == new.size and old.root != new.root:
            raise Failed(f"two different trees of size {old.size}: a forked log")
        return f"checkpoints {old.size} and {new.size} are consistent"
    if proof is None:
        proof = get(url, "/proofs/consistency",
                    {"first": old.size, "second": new.size}).json()["proof"]
    if not merkle.verify_consistency(old.size, new.size, [bytes.fromhex(p) for p in proof],
                                     old.root, new.root):
        raise Failed(f"the tree of {new.size} does not extend the tree of {old.size}: "
                     "history was rewritten")
    return f"the tree of {new.size} extends the tree of {old.size}"


def check_consistency(url: str, key: str, old_note: str, new_note: str) -> str:
    return prove_consistency(url, open_checkpoint(key, old_note),
                             open_checkpoint(key, new_note))


def check_beacon(url: str, key: str, record_key: str, used_note: str | None = None,
                 seen: Sequence[str] = ()) -> str:
    """The public random value of a draw is genuine: the first leaf of ``record_key`` is in
    the signed checkpoint the log names as its beacon, the checkpoint signed before it does
    not hold that leaf and is extended by it, and the draw used exactly this checkpoint
    (``used_note``). A log that hid a checkpoint signed in between is caught by anyone who
    kept it: ``seen`` are checkpoints saved earlier (``translog.verify checkpoint --out``).
    Returns the beacon's note."""
    b = get(url, "/beacon", {"key": record_key}).json()
    head = open_checkpoint(key, b["checkpoint"])
    entry = checked_entry(url, int(b["index"]))
    if entry.get("public") and (entry.get("record") or {}).get("key") != record_key:
        raise Failed(f"entry {b['index']} is not the record {record_key}")
    prove_inclusion(url, entry, head)
    floor = 0
    if b.get("previous"):
        before = open_checkpoint(key, b["previous"])
        if before.size > int(b["index"]):
            raise Failed(f"the checkpoint of {before.size}, signed earlier, already held "
                         f"entry {b['index']}: the beacon is not the first")
        prove_consistency(url, before, head, b.get("consistency") or [])
        floor = before.size
    for note in seen:
        other = open_checkpoint(key, note)
        if int(b["index"]) < other.size < head.size:
            raise Failed(f"a checkpoint of {other.size} entries, signed before the claimed "
                         f"beacon of {head.size}, already held entry {b['index']}: the log "
                         "hid it, and the beacon is not the first")
        if floor < other.size < head.size:
            raise Failed(f"the log hid the checkpoint of {other.size} entries it signed "
                         "between the beacon and the one before it")
    if used_note is not None and used_note.split("\n\n", 1)[0] != \
            b["checkpoint"].split("\n\n", 1)[0]:
        raise Failed(f"the draw used another checkpoint than the log's beacon for {record_key}")
    return str(b["checkpoint"])
