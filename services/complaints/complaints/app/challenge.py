"""The public form's proof-of-work challenge (ALTCHA, self-hosted; no puzzle to read).

The server signs a challenge (HMAC with the challenge key); the browser finds the number
whose SHA-256 with the salt matches (a second or so on a phone), and the server checks the
answer without storing anything. A challenge expires after ``ttl`` seconds; one answered
challenge makes one complaint (its signature is the submission's origin: app/codes.py).
Elderly users see no puzzle: references.md, 适老化 asks for no puzzle captchas.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import altcha

DEFAULT_MAX_NUMBER = 50_000  # a phone's browser solves it in about a second


def issue(key: bytes, now: datetime, ttl: int = 1200,
          max_number: int = DEFAULT_MAX_NUMBER) -> dict[str, Any]:
    found = altcha.create_challenge_v1(algorithm="SHA-256", max_number=max_number,
                                       hmac_key=key, expires=now + timedelta(seconds=ttl))
    return found.to_dict()  # type: ignore[no-any-return]


def verify(key: bytes, payload: str) -> str | None:
    """The challenge's signature when ``payload`` (base64 JSON, as the form posts it) is a
    correct, unexpired answer; None otherwise."""
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        ok, _ = altcha.verify_solution_v1(data, key, check_expires=True)
    except (ValueError, TypeError, KeyError):
        return None
    return str(data["signature"]) if ok else None


def solve(challenge: dict[str, Any]) -> str:
    """The answer a browser would post (tests and the demo script)."""
    found = altcha.solve_challenge_v1(challenge["challenge"], challenge["salt"],
                                      challenge["algorithm"], challenge["maxNumber"])
    if found is None:
        raise ValueError("no solution in range")
    payload = {"algorithm": challenge["algorithm"], "challenge": challenge["challenge"],
               "number": found.number, "salt": challenge["salt"],
               "signature": challenge["signature"]}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def now_utc() -> datetime:
    return datetime.now(UTC)
