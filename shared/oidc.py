"""Verify access tokens of an OpenID Connect provider against its published keys (JWKS).

Every service is a resource server: a token counts only if its signature verifies with a key
of the configured JWKS (fetched once, cached, fetched again when a token names a key id the
cache does not know, at most once per ``refresh_interval``), its algorithm is one of the
pinned asymmetric ones (never HS*: a shared-secret algorithm would let anyone holding the
public key forge tokens), and issuer, audience, expiry and lifetime check out. The claims it
must carry are listed in services/identity/README.md.

The JWKS address is https:// or http:// (the provider's jwks_uri) or file:// (a key set on
disk: tests, air-gapped installations).

Revocation: with OIDC_REVOCATIONS_URI set (the bundled identity service's ``/revocations``), a
token is also refused when its account was disabled or its duties, regions or password
changed after the token was issued (``iat`` before that second). The list is fetched at most
every ``refresh_interval`` seconds (10 by default), so such a token stops working within
about that time instead of at its expiry. If the list cannot be fetched the last one fetched
stays in force and the failure is logged (tokens live at most 15 minutes either way); a
provider without such a list (Keycloak, a provincial platform) leaves the variable unset.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt

from shared.authority import DEPARTMENTS, DUTIES, Authority, valid_region

log = logging.getLogger(__name__)
ASYMMETRIC = ("EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
              "ES384", "ES512")
DEFAULT_AUDIENCE = "eldercare-platform"
MAX_LIFETIME = 900  # seconds: the platform's tokens live at most 15 minutes
LEEWAY = 30  # seconds of clock skew tolerated on exp/iat/nbf


class InvalidToken(Exception):
    """Why a token is refused (shown in the 401 problem; never contains the token)."""


class ConfigError(RuntimeError):
    """The resource server's OIDC settings are missing or unsafe: refuse to start."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    jwks_uri: str
    audience: str = DEFAULT_AUDIENCE
    algorithms: tuple[str, ...] = ("EdDSA",)
    max_lifetime: int = MAX_LIFETIME
    revocations_uri: str = ""  # optional: the provider's list of revoked accounts

    def validate(self) -> OidcSettings:
        missing = [n for n, v in (("OIDC_ISSUER", self.issuer), ("OIDC_JWKS_URI", self.jwks_uri),
                                  ("OIDC_AUDIENCE", self.audience)) if not v]
        if missing:
            raise ConfigError(f"{', '.join(missing)} not set: a service verifies tokens only "
                              "against a configured OpenID Connect provider (the identity "
                              "service; `make run` sets these); refusing to start")
        bad = [a for a in self.algorithms if a not in ASYMMETRIC]
        if bad or not self.algorithms:
            raise ConfigError(f"OIDC_ALGORITHMS {','.join(bad) or '(empty)'}: only asymmetric "
                              f"algorithms are accepted ({', '.join(ASYMMETRIC)})")
        for name, uri in (("OIDC_JWKS_URI", self.jwks_uri),
                          ("OIDC_REVOCATIONS_URI", self.revocations_uri)):
            if uri and urllib.parse.urlparse(uri).scheme not in ("https", "http", "file"):
                raise ConfigError(f"{name} {uri!r}: https://, http:// or file://")
        if not 0 < self.max_lifetime <= 24 * 3600:
            raise ConfigError("OIDC_MAX_TOKEN_LIFETIME must be between 1 s and a day")
        return self

    @classmethod
    def from_env(cls, env: dict[str, str]) -> OidcSettings:
        algorithms = tuple(a.strip() for a in env.get("OIDC_ALGORITHMS", "EdDSA").split(",")
                           if a.strip())
        return cls(issuer=env.get("OIDC_ISSUER", ""), jwks_uri=env.get("OIDC_JWKS_URI", ""),
                   audience=env.get("OIDC_AUDIENCE", DEFAULT_AUDIENCE), algorithms=algorithms,
                   max_lifetime=int(env.get("OIDC_MAX_TOKEN_LIFETIME", str(MAX_LIFETIME))),
                   revocations_uri=env.get("OIDC_REVOCATIONS_URI", ""))


class KeySet:
    """The provider's public keys by kid, cached; refetched for an unknown kid (rotation),
    at most once per ``refresh_interval`` seconds so random kids cannot flood the provider."""

    def __init__(self, uri: str, refresh_interval: float = 10.0, timeout: float = 5.0) -> None:
        self.uri, self.refresh_interval, self.timeout = uri, refresh_interval, timeout
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        raw = fetch_json(self.uri, self.timeout)
        keys = {}
        for item in raw.get("keys", []):
            if "d" in item or "p" in item or "k" in item:
                continue  # a private or symmetric key never counts as a verification key
            try:
                keys[item["kid"]] = jwt.PyJWK(item)
            except (KeyError, jwt.PyJWKError):
                continue
        return keys

    def get(self, kid: str) -> jwt.PyJWK:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            key = self._keys.get(kid)
            if key is None and time.monotonic() - self._fetched_at >= self.refresh_interval:
                self._fetched_at = time.monotonic()
                try:
                    self._keys = self._fetch()
                except (OSError, ValueError) as exc:
                    raise InvalidToken(f"无法获取签名公钥（{type(exc).__name__}）") from exc
                key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("签名密钥未知")
        return key


def fetch_json(uri: str, timeout: float) -> Any:
    """A JSON document from an http(s):// or file:// address."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme == "file":
        with open(urllib.request.url2pathname(parsed.path), encoding="utf-8") as f:
            return json.load(f)
    with urllib.request.urlopen(uri, timeout=timeout) as resp:  # noqa: S310 - http(s) only
        return json.load(resp)


def subject_digest(sub: str) -> str:
    """How the revocation list names an account (not its login in clear)."""
    return hashlib.sha256(sub.encode("utf-8")).hexdigest()


class Revocations:
    """The provider's revoked accounts: per account (by ``subject_digest``) the second
    before which its tokens no longer count. Fetched again when older than
    ``refresh_interval``; a failed fetch keeps the last list (logged) and is tried again
    after the same interval."""

    def __init__(self, uri: str, refresh_interval: float = 10.0, timeout: float = 3.0,
                 clock: Any = time.monotonic) -> None:
        self.uri, self.refresh_interval, self.timeout = uri, refresh_interval, timeout
        self._clock = clock
        self._not_before: dict[str, int] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def not_before(self, sub: str) -> int | None:
        if self._clock() - self._fetched_at >= self.refresh_interval:
            with self._lock:
                if self._clock() - self._fetched_at >= self.refresh_interval:
                    self._refresh()
        return self._not_before.get(subject_digest(sub))

    def _refresh(self) -> None:
        self._fetched_at = self._clock()
        try:
            raw = fetch_json(self.uri, self.timeout)
            self._not_before = {str(r["sub_sha256"]): int(r["not_before"])
                                for r in raw["revoked"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("revocation list %s not fetched (%s: %s); the last one stays",
                        self.uri, type(exc).__name__, exc)


class Verifier:
    def __init__(self, settings: OidcSettings, keys: KeySet | None = None,
                 revocations: Revocations | None = None) -> None:
        self.settings = settings.validate()
        self.keys = keys or KeySet(settings.jwks_uri)
        self.revocations = revocations or (Revocations(settings.revocations_uri)
                                           if settings.revocations_uri else None)

    def claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("令牌格式错误") from exc
        alg = header.get("alg")
        if alg not in self.settings.algorithms:
            raise InvalidToken(f"不接受的签名算法 {alg}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("令牌缺少 kid")
        key = self.keys.get(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key.key, algorithms=[alg], audience=self.settings.audience,
                issuer=self.settings.issuer, leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]})
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"令牌无效：{exc}") from exc
        if int(claims["exp"]) - int(claims["iat"]) > self.settings.max_lifetime:
            raise InvalidToken(f"令牌有效期超过 {self.settings.max_lifetime} 秒")
        if self.revocations is not None:
            cut = self.revocations.not_before(str(claims["sub"]))
            if cut is not None and int(claims["iat"]) < cut:
                raise InvalidToken("令牌已撤销：账号已停用，或其职责、辖区、密码在签发后已变更")
        return claims

    def authority(self, token: str) -> Authority:
        return authority_from_claims(self.claims(token))


def authority_from_claims(claims: dict[str, Any]) -> Authority:
    """The platform's claims (department, regions, duties, scope) checked and typed."""
    department = claims.get("department")
    if department not in DEPARTMENTS:
        raise InvalidToken("department 声明缺失或无效")
    regions = claims.get("regions", [])
    duties = claims.get("duties", [])
    if not isinstance(regions, list) or not all(isinstance(r, str) and valid_region(r)
                                                for r in regions):
        raise InvalidToken("regions 须为 2、4 或 6 位行政区划代码的列表")
    if not isinstance(duties, list) or not all(d in DUTIES for d in duties):
        raise InvalidToken(f"duties 只能取 {', '.join(DUTIES)}")
    scope = claims.get("scope", "")
    if not isinstance(scope, str):
        raise InvalidToken("scope 须为以空格分隔的字符串")
    name = claims.get("name", "")
    return Authority(sub=str(claims["sub"]), department=department, regions=tuple(regions),
                     duties=tuple(duties), scopes=frozenset(scope.split()),
                     name=name if isinstance(name, str) else "")
