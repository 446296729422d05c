"""Canonical JSON and the hashes every verifier recomputes (docs/draw-algorithm.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

ALGORITHM = "eldercare-draw-v2"  # v2: declared conflicts sealed per object (conflict_tag)
LEGACY_ALGORITHMS = ("eldercare-draw-v1",)  # v1: conflicts in clear in the snapshot


def canonical(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: one byte string per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value`` (snapshot hash, result hash)."""
    return sha256_hex(canonical(value))


def commitment(seed: str) -> str:
    """What a plan publishes before its draw: SHA-256 of the seed's UTF-8 bytes."""
    return sha256_hex(seed.encode("utf-8"))


BEACON_RULE = "translog-first-checkpoint/v1"  # the public value a plan names in advance


def beacon_key(plan_id: str, attempt: int) -> str:
    """The logged record that opens draw attempt ``attempt``: the plan's publication for the
    first, the end (failure or voiding) of the attempt before it for every later one. The
    attempt's public value is the log's first signed checkpoint holding that record."""
    return f"plan:{plan_id}" if attempt == 1 else f"draw-closed:{plan_id}:{attempt - 1}"


def checkpoint_body(note: str) -> str:
    """A signed note's text without its signature lines (origin, size, root hash)."""
    return note.split("\n\n", 1)[0] + "\n"


def attempt_seed(secret: str, plan_id: str, attempt: int, checkpoint_note: str) -> str:
    """The seed of one draw attempt: HMAC-SHA256 keyed by the committed secret over the plan,
    the attempt and the beacon checkpoint. The secret was fixed (committed) before the
    checkpoint existed, and nobody knew the secret when the checkpoint was signed, so neither
    side alone can choose the seed."""
    message = f"eldercare-draw-seed/v1\n{plan_id}\n{attempt}\n{checkpoint_body(checkpoint_note)}"
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def prf(seed: str) -> Callable[[str], str]:
    """HMAC-SHA256 keyed by the seed: a message's hex digest is its random rank."""
    base = hmac.new(seed.encode("utf-8"), digestmod=hashlib.sha256)

    def rank(message: str) -> str:
        h = base.copy()
        h.update(message.encode("utf-8"))
        return h.hexdigest()

    return rank


def conflict_tag(opening: dict[str, Any]) -> str:
    """The sealed conflicts of one object: SHA-256 of canonical {inspectors, salt, uscc}.

    ``inspectors`` = sorted roster keys that declared a conflict with ``uscc``; ``salt`` = 32
    hex characters, secret until the object is drawn. Without the salt the tag says nothing.
    """
    return digest({"inspectors": sorted(opening["inspectors"]), "salt": opening["salt"],
                   "uscc": opening["uscc"]})
