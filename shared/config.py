"""Settings read from the environment; every address and port can be overridden."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_KAFKA = "127.0.0.1:19092"
DEFAULT_MONGO = "mongodb://127.0.0.1:27018/?directConnection=true"
SERVICE_PORTS = {
    "projection": 8000,
    "registry": 8001,
    "inspection": 8002,
    "fire_safety": 8003,
    "credit": 8004,
    "escrow": 8005,
}
DEV_JWT_SECRET = "dev-only-secret-change-me-in-production-0123456789"


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
    jwt_secret: str = DEV_JWT_SECRET
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
            mongodb_uri=e.get("MONGODB_URI", DEFAULT_MONGO),
            kafka_bootstrap=e.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA),
            jwt_secret=e.get("JWT_SECRET", DEV_JWT_SECRET),
            topic_partitions=int(e.get("TOPIC_PARTITIONS", "3")),
            db_prefix=e.get("DB_PREFIX", "eldercare_"),
            extra={k: v for k, v in e.items() if k.startswith("ELDERCARE_")},
        )


def int_setting(extra: Mapping[str, str], name: str, default: int, minimum: int = 0,
                maximum: int | None = None) -> int:
    """An integer ELDERCARE_* override (``default`` when unset or blank), checked for range."""
    raw = extra.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if maximum is not None and not minimum <= value <= maximum:
        raise ValueError(f"{name} must be within {minimum}..{maximum}, got {value}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value
