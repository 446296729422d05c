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
