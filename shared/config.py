"""Settings read from the environment; every address and port can be overridden."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from shared.oidc import OidcSettings
from shared.rules import RuleError, is_group

R = TypeVar("R")

DEFAULT_KAFKA = "127.0.0.1:19092"
DEFAULT_MONGO = "mongodb://127.0.0.1:27018/?directConnection=true"
SERVICE_PORTS = {
    "projection": 8000,
    "registry": 8001,
    "inspection": 8002,
    "fire_safety": 8003,
    "credit": 8004,
    "escrow": 8005,
    "identity": 8006,
    "console": 8007,
    "complaints": 8008,
    "risk": 8009,
    "translog": 8010,
}
def topic_for(service: str) -> str:
    """Kafka topic that carries one service's events."""
    return f"eldercare.{service}.events"


DEAD_LETTER_TOPIC = "eldercare.deadletter"


@dataclass(frozen=True)
class Settings:
    """Process settings; build with from_env() or directly in tests."""

    service: str
    mongodb_uri: str = DEFAULT_MONGO
    kafka_bootstrap: str = DEFAULT_KAFKA
    # how bearer tokens are verified (checked when a web app is built: shared/oidc.py)
    oidc: OidcSettings = field(default_factory=lambda: OidcSettings.from_env(dict(os.environ)))
    topic_partitions: int = 3
    db_prefix: str = "eldercare_"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return f"{self.db_prefix}{self.service}"

    @property
    def topic(self) -> str:
        return topic_for(self.service)

    @classmethod
    def from_env(cls, service: str, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            service=service,
            mongodb_uri=with_credentials(e.get("MONGODB_URI", DEFAULT_MONGO), e),
            kafka_bootstrap=e.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
            oidc=OidcSettings.from_env(dict(e)),
            topic_partitions=int(e.get("TOPIC_PARTITIONS", "3")),
            db_prefix=e.get("DB_PREFIX", "eldercare_"),
            extra={k: v for k, v in e.items() if k.startswith("ELDERCARE_")},
        )


class MongoCredentialsError(ValueError):
    """MONGODB_USERNAME without its password (or the reverse); the message names both."""


def with_credentials(uri: str, env: Mapping[str, str]) -> str:
    """``uri`` with the service's own database user: MONGODB_USERNAME and
    MONGODB_PASSWORD_FILE (or MONGODB_PASSWORD), authenticated against MONGODB_AUTH_SOURCE
    (admin unless set). Without a user the URI is used as given. A user without a password,
    or a password without a user, is refused."""
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    user = env.get("MONGODB_USERNAME", "")
    secret_file = env.get("MONGODB_PASSWORD_FILE", "")
    secret = Path(secret_file).read_text(encoding="utf-8").strip() if secret_file \
        else env.get("MONGODB_PASSWORD", "")
    if not user and not secret:
        return uri
    if not user or not secret:
        raise MongoCredentialsError("MONGODB_USERNAME and MONGODB_PASSWORD_FILE (or "
                                    "MONGODB_PASSWORD) go together")
    parts = urlsplit(uri)
    if "@" in parts.netloc:
        raise MongoCredentialsError("MONGODB_URI already holds credentials: give them once, "
                                    "in MONGODB_USERNAME and MONGODB_PASSWORD_FILE")
    netloc = f"{quote(user, safe='')}:{quote(secret, safe='')}@{parts.netloc}"
    query = dict(parse_qsl(parts.query))
    query.setdefault("authSource", env.get("MONGODB_AUTH_SOURCE", "admin"))
    return urlunsplit((parts.scheme, netloc, parts.path or "/", urlencode(query),
                       parts.fragment))


@dataclass(frozen=True)
class EnvVar:
    """One ELDERCARE_* variable: the Rules field it sets (dotted for nested groups) and how."""

    name: str
    field: str
    parse: Callable[[str], Any]


def integer(minimum: int = 0, maximum: int | None = None) -> Callable[[str], int]:
    """A parser of whole numbers within minimum..maximum."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"must be an integer, got {raw!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"within {minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            raise ValueError(f"must be {bound}, got {value}")
        return value

    return parse


def choice(options: tuple[str, ...]) -> Callable[[str], str]:
    """A parser of one of ``options`` (upper-cased first: levels are letters)."""

    def parse(raw: str) -> str:
        if raw.upper() not in options:
            raise ValueError(f"must be one of {', '.join(options)}, got {raw!r}")
        return raw.upper()

    return parse


def text(raw: str) -> str:
    """A parser that keeps the text as it is."""
    return raw


def json_value(shape: Callable[[Any], Any]) -> Callable[[str], Any]:
    """A JSON parser; ``shape`` checks and converts the decoded value (ValueError if wrong)."""

    def parse(raw: str) -> Any:
        try:
            value = json.loads(raw)
        except ValueError:
            raise ValueError(f"must be JSON, got {raw!r}") from None
        try:
            return shape(value)
        except (KeyError, TypeError, AttributeError, OverflowError):
            raise ValueError(f"has the wrong shape: {raw!r}") from None

    return parse


def apply_env(cls: type[R], table: Sequence[EnvVar], extra: Mapping[str, str]) -> R:
    """``cls`` with every variable of ``table`` that is set (and not blank) applied.

    Every error names the variable: a bad value, or a combination the rules refuse."""
    values: dict[str, Any] = {}
    for var in table:
        raw = extra.get(var.name, "").strip()
        if raw:
            try:
                values[var.field] = var.parse(raw)
            except ValueError as exc:
                raise ValueError(f"{var.name} {exc}") from None
    return _build(cls, values, "", {v.field: v.name for v in table})


def _build(cls: type[R], values: dict[str, Any], prefix: str, names: dict[str, str]) -> R:
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        path = prefix + f.name
        if is_group(f):
            kwargs[f.name] = _build(f.default_factory, values, path + ".", names)  # type: ignore[arg-type]
        elif path in values:
            kwargs[f.name] = values[path]
    try:
        return cls(**kwargs)
    except RuleError as exc:
        path = prefix + exc.field
        raise ValueError(f"{names.get(path, path)} {exc.message}") from None
