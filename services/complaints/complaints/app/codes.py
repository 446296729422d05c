"""Tracking numbers and check codes, derived with HMAC-SHA256 from the code key.

A tracking number comes from what makes a submission unique (the public form's one-time
challenge, or the hotline system's own ticket number), so a retry after a crash lands on the
complaint it already made. The check code is derived from the tracking number and stored
nowhere: only the service holding the key can tell a right one from a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac
import re

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, none easily misread
PREFIX = "TS"
TRACKING = re.compile(rf"^{PREFIX}[{ALPHABET}]{{10}}$")
CHECK = re.compile(rf"^[{ALPHABET}]{{8}}$")


def _symbols(digest: bytes, n: int) -> str:
    value = int.from_bytes(digest, "big")
    out = []
    for _ in range(n):
        value, r = divmod(value, 32)
        out.append(ALPHABET[r])
    return "".join(out)


def _mac(key: bytes, label: str, text: str) -> bytes:
    return hmac.new(key, f"{label}\x00{text}".encode(), hashlib.sha256).digest()


def tracking_number(key: bytes, origin: str) -> str:
    """``TS`` and 10 symbols (50 bits) for one submission's origin."""
    return PREFIX + _symbols(_mac(key, "tracking", origin), 10)


def check_code(key: bytes, complaint_id: str) -> str:
    """8 symbols (40 bits) that only the holder of ``key`` can compute."""
    return _symbols(_mac(key, "check", complaint_id), 8)


def normalise(text: str) -> str:
    """Upper case without spaces or dashes (as people type them back)."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def check_matches(key: bytes, complaint_id: str, given: str) -> bool:
    return hmac.compare_digest(check_code(key, complaint_id), normalise(given))
