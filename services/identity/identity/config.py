"""Environment of the identity service: issuer, keys file, clients file, rule overrides."""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from identity.domain.rules import Rules
from shared.config import EnvVar, Settings, apply_env, integer

ENV = (
    EnvVar("ELDERCARE_IDENTITY_LOCKOUT_THRESHOLD", "lockout_threshold", integer(1)),
    EnvVar("ELDERCARE_IDENTITY_LOCKOUT_BASE_SECONDS", "lockout_base_seconds", integer(1)),
    EnvVar("ELDERCARE_IDENTITY_LOCKOUT_MAX_SECONDS", "lockout_max_seconds", integer(1)),
    EnvVar("ELDERCARE_IDENTITY_PASSWORD_MIN_LENGTH", "password_min_length", integer(8)),
    EnvVar("ELDERCARE_IDENTITY_PASSWORD_MIN_CLASSES", "password_min_classes", integer(1, 4)),
    EnvVar("ELDERCARE_IDENTITY_TOKEN_LIFETIME_SECONDS", "token_lifetime_seconds",
           integer(1, 900)),
    EnvVar("ELDERCARE_IDENTITY_SESSION_IDLE_SECONDS", "session_idle_seconds", integer(60)),
    EnvVar("ELDERCARE_IDENTITY_SESSION_MAX_SECONDS", "session_max_seconds", integer(60)),
)


class IdentityConfigError(RuntimeError):
    """Refuse to start: says which variable is wrong."""


@dataclass(frozen=True)
class IdentitySettings:
    issuer: str
    keys_file: str
    clients_file: str
    trust_proxy: bool = False  # IDENTITY_TRUST_PROXY=1: one reverse proxy sets X-Forwarded-*

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> IdentitySettings:
        e = dict(os.environ) if env is None else env
        issuer = e.get("IDENTITY_ISSUER", "").rstrip("/")
        parsed = urllib.parse.urlparse(issuer)
        if parsed.scheme not in ("https", "http") or not parsed.netloc:
            raise IdentityConfigError("IDENTITY_ISSUER must be the provider's external base URL "
                                      "(https://... ; http:// only on 127.0.0.1 in development); "
                                      "refusing to start")
        if parsed.scheme == "http" and parsed.hostname not in ("127.0.0.1", "localhost"):
            raise IdentityConfigError("IDENTITY_ISSUER over http:// is allowed on 127.0.0.1 only")
        return cls(issuer=issuer, keys_file=e.get("IDENTITY_KEYS_FILE", ""),
                   clients_file=e.get("IDENTITY_CLIENTS_FILE", ""),
                   trust_proxy=e.get("IDENTITY_TRUST_PROXY", "") == "1")


def load_rules(settings: Settings) -> Rules:
    return apply_env(Rules, ENV, settings.extra)
