"""The development stack's JWT secret: JWT_SECRET if set, else a random one generated on the
first `make run` and kept in <data dir>/dev-jwt-secret (mode 0600) so tokens minted with
`python -m shared.http.auth` keep working across restarts. Nothing in code is a secret."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from shared.config import configured_secret


def dev_secret(data_dir: Path) -> str:
    if os.environ.get("JWT_SECRET"):
        return configured_secret()
    path = data_dir / "dev-jwt-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_urlsafe(48))
    return configured_secret({"JWT_SECRET": path.read_text(encoding="utf-8").strip()})
