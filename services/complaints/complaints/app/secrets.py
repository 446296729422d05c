"""The complaints service's secrets file (COMPLAINTS_SECRETS_FILE): no default anywhere.

A JSON object of three base64 keys of 32 bytes each:
- ``master_key`` wraps every complaint's data key (AES-256-GCM, app/vault.py);
- ``code_key`` derives tracking numbers and check codes (HMAC-SHA256), so a check code is
  stored nowhere and a retried submission finds the complaint it already made;
- ``challenge_key`` signs the public form's proof-of-work challenges (ALTCHA).

``python -m complaints.secrets init --file PATH`` (complaints/secrets.py) writes a new file
readable by its owner only; an existing file is never overwritten.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

NAMES = ("master_key", "code_key", "challenge_key")
ENV = "COMPLAINTS_SECRETS_FILE"


class SecretsMissing(RuntimeError):
    """The service refuses to start: the message says what to set."""


@dataclass(frozen=True)
class Secrets:
    master_key: bytes
    code_key: bytes
    challenge_key: bytes

    @classmethod
    def generate(cls) -> Secrets:
        return cls(*(secrets.token_bytes(32) for _ in NAMES))

    def to_json(self) -> str:
        return json.dumps({n: base64.b64encode(getattr(self, n)).decode() for n in NAMES},
                          indent=2)

    @classmethod
    def from_json(cls, text: str) -> Secrets:
        data = json.loads(text)
        keys = []
        for n in NAMES:
            raw = base64.b64decode(str(data.get(n, "")), validate=True)
            if len(raw) != 32:
                raise ValueError(f"{n} must be 32 bytes of base64")
            keys.append(raw)
        return cls(*keys)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Secrets:
        env = os.environ if env is None else env
        path = env.get(ENV, "").strip()
        if not path:
            raise SecretsMissing(f"{ENV} is not set: create the file with "
                                 f"`python -m complaints.secrets init --file PATH`; "
                                 "refusing to start")
        try:
            return cls.from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SecretsMissing(f"{ENV}={path} cannot be used ({exc}); refusing to start") \
                from None


def write_new(path: Path) -> bool:
    """Create ``path`` (mode 0600) with fresh keys; False when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(Secrets.generate().to_json())
    return True
