"""The provider's signing keys: a private JWK set in a file (mode 0600) beside the data.

The last key of the file signs; every key in it is published (public part only) at
/jwks.json, so after ``rotate`` the previous key still verifies the tokens it signed until
``retire`` removes it. Ed25519 (EdDSA), generated with ``cryptography``.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

KEYS_ENV = "IDENTITY_KEYS_FILE"
HINT = "python -m identity.cli keys init --file <path>"


class KeyFileError(RuntimeError):
    """The keys file is missing, unreadable or unsafe: the provider refuses to start."""


def _write(path: Path, keys: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"keys": keys}, out)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def new_key() -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(Ed25519PrivateKey.generate()))
    jwk.update(kid=secrets.token_hex(8), alg="EdDSA", use="sig")
    return jwk


def load(path: str | Path) -> list[dict[str, Any]]:
    """The private keys, oldest first; KeyFileError says what is wrong and how to fix it."""
    if not path:
        raise KeyFileError(f"{KEYS_ENV} not set: the identity service signs tokens only with "
                           f"configured keys; create them with `{HINT}`; refusing to start")
    p = Path(path)
    try:
        mode = p.stat().st_mode
        raw = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"{KEYS_ENV}={p}: no such file; create it with `{HINT}`") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"{KEYS_ENV}={p}: unreadable ({type(exc).__name__})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{KEYS_ENV}={p}: readable by others (mode {oct(mode & 0o777)}); "
                           f"`chmod 600 {p}`")
    keys = raw.get("keys") if isinstance(raw, dict) else None
    if not keys or not all(isinstance(k, dict) and k.get("kty") == "OKP" and k.get("d")
                           and k.get("kid") for k in keys):
        raise KeyFileError(f"{KEYS_ENV}={p}: not a private Ed25519 JWK set; `{HINT}`")
    return list(keys)


def init(path: Path) -> bool:
    """Create the file with one key unless it exists; True when created."""
    if path.exists():
        load(path)
        return False
    _write(path, [new_key()])
    return True


def rotate(path: Path) -> str:
    """A new signing key; the earlier ones stay published until retired."""
    keys = load(path)
    key = new_key()
    _write(path, [*keys, key])
    return str(key["kid"])


def retire(path: Path, kid: str) -> None:
    keys = load(path)
    if keys[-1]["kid"] == kid:
        raise KeyFileError(f"{kid} is the current signing key: rotate first")
    if not any(k["kid"] == kid for k in keys):
        raise KeyFileError(f"no key {kid} in {path}")
    _write(path, [k for k in keys if k["kid"] != kid])


def public(keys: list[dict[str, Any]]) -> dict[str, Any]:
    return {"keys": [{k: v for k, v in key.items() if k != "d"} for key in keys]}
