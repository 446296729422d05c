"""A development token signer: Ed25519 keys in a folder, a public JWKS file beside them.

Tests and development tools use it where no identity service runs (the services verify
tokens from it exactly as from the identity service: JWKS, issuer, audience, EdDSA). The
private key file is created with mode 0600 and never leaves the folder it was created in.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from shared.authority import BUSINESS_DUTIES, NATIONAL
from shared.oidc import DEFAULT_AUDIENCE

DEV_ISSUER = "http://127.0.0.1/dev-issuer"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


class DevSigner:
    """Keys in ``folder`` (created on first use); ``jwks_uri`` is a file:// URL."""

    def __init__(self, folder: Path, issuer: str = DEV_ISSUER,
                 audience: str = DEFAULT_AUDIENCE) -> None:
        self.folder, self.issuer, self.audience = folder, issuer, audience
        folder.mkdir(parents=True, exist_ok=True)
        self.private_file, self.public_file = folder / "dev-signing-keys.json", folder / "jwks.json"
        if not self.private_file.exists():
            self.rotate()
        self._load()

    def _load(self) -> None:
        data = json.loads(self.private_file.read_text(encoding="utf-8"))
        self.keys: list[dict[str, Any]] = data["keys"]

    def rotate(self) -> str:
        """Add a new signing key; earlier ones stay published (two live at once)."""
        old = (json.loads(self.private_file.read_text(encoding="utf-8"))["keys"]
               if self.private_file.exists() else [])
        jwk = json.loads(OKPAlgorithm.to_jwk(Ed25519PrivateKey.generate()))
        jwk.update(kid=secrets.token_hex(8), alg="EdDSA", use="sig")
        keys = [*old[-1:], jwk]  # the previous key stays published, older ones retire
        _write_private(self.private_file, json.dumps({"keys": keys}))
        public = [{k: v for k, v in key.items() if k != "d"} for key in keys]
        self.public_file.write_text(json.dumps({"keys": public}), encoding="utf-8")
        self.keys = keys
        return str(jwk["kid"])

    @property
    def jwks_uri(self) -> str:
        return self.public_file.resolve().as_uri()

    def env(self) -> dict[str, str]:
        """What a service needs to verify this signer's tokens."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_JWKS_URI": self.jwks_uri,
                "OIDC_AUDIENCE": self.audience}

    def sign(self, claims: dict[str, Any], key_index: int = -1,
             headers: dict[str, Any] | None = None) -> str:
        key = self.keys[key_index]
        private = OKPAlgorithm.from_jwk(json.dumps(key))
        return jwt.encode(claims, private, algorithm="EdDSA",  # type: ignore[arg-type]
                          headers={"kid": key["kid"], "typ": "at+jwt", **(headers or {})})

    def claims(self, sub: str, department: str, regions: tuple[str, ...] = (NATIONAL,),
               duties: tuple[str, ...] = BUSINESS_DUTIES, scope: str = "openid",
               ttl: int = 600, **extra: Any) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": self.issuer, "aud": self.audience, "sub": sub, "department": department,
                "regions": list(regions), "duties": list(duties), "scope": scope,
                "jti": str(uuid.uuid4()), "iat": now, "exp": now + ttl, **extra}

    def token(self, sub: str, department: str, regions: tuple[str, ...] = (NATIONAL,),
              duties: tuple[str, ...] = BUSINESS_DUTIES, scope: str = "openid",
              ttl: int = 600) -> str:
        return self.sign(self.claims(sub, department, regions, duties, scope, ttl))


KEYS_DIR_ENV = "DEV_OIDC_KEYS_DIR"


def signer_from_env(env: dict[str, str] | None = None) -> DevSigner:
    """The signer the development stack (or the test session) set up, by its key folder."""
    e = os.environ if env is None else env
    folder = e.get(KEYS_DIR_ENV, "")
    if not folder or not (Path(folder) / "dev-signing-keys.json").exists():
        raise SystemExit(f"{KEYS_DIR_ENV} does not name a development key folder: start "
                         "`make run` (or the test session), which creates one")
    return DevSigner(Path(folder), issuer=e.get("OIDC_ISSUER", DEV_ISSUER),
                     audience=e.get("OIDC_AUDIENCE", DEFAULT_AUDIENCE))


class TokenCache:
    """A fresh token per department, re-signed before it expires (tokens live 10 minutes)."""

    def __init__(self, signer: DevSigner, prefix: str = "demo") -> None:
        self.signer, self.prefix = signer, prefix
        self._tokens: dict[tuple[str, str], tuple[float, str]] = {}

    def __call__(self, department: str, scope: str = "openid") -> str:
        """An official's token, or with ``scope`` other than openid a machine client's
        (no regions, no duties: only that scope)."""
        made, token = self._tokens.get((department, scope), (0.0, ""))
        if time.monotonic() - made > 300:
            if scope == "openid":
                token = self.signer.token(f"{self.prefix}-{department}", department)
            else:
                token = self.signer.token(f"{self.prefix}-{department}-client", department,
                                          regions=(), duties=(), scope=scope)
            self._tokens[(department, scope)] = (time.monotonic(), token)
        return token

    def official(self, sub: str, department: str, regions: tuple[str, ...] = (NATIONAL,),
                 duties: tuple[str, ...] = BUSINESS_DUTIES) -> str:
        """A named official's token (a panel member confirming from their own session, an
        inspector of a roster); demos ask for these instead of signing themselves."""
        key = (f"{sub} {department} {','.join(regions)} {','.join(duties)}", "official")
        made, token = self._tokens.get(key, (0.0, ""))
        if time.monotonic() - made > 300:
            token = self.signer.token(sub, department, regions, duties)
            self._tokens[key] = (time.monotonic(), token)
        return token


def tokens_from_env(env: dict[str, str] | None = None) -> Any:
    """Demo tokens: from the identity service when the stack runs one (IDENTITY_ISSUER set),
    otherwise signed by the development key folder (tests without a stack)."""
    e = dict(os.environ) if env is None else env
    if e.get("IDENTITY_ISSUER") and e.get("IDENTITY_CLIENTS_FILE"):
        from devtools.devstack.identity_dev import IdentityTokens

        return IdentityTokens(e)
    return TokenCache(signer_from_env(e))
