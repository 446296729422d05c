"""What the write services' integration tests share: per-test settings, store, token caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shared import mongo
from shared.clock import Clock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from tests.signer import mint


def service_settings(service: str, infra: Any, unique: str) -> Settings:
    """The service's settings on the session's servers, with a database of the test's own."""
    return Settings(service=service, mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                    db_prefix=f"t_{unique}_")


def projection_settings(infra: Any, unique: str, tag: str) -> Settings:
    """The projection's settings on the session's servers, with a database of the test's own
    (``tag`` tells the test modules' databases apart)."""
    return Settings(service="projection", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"{tag}_{unique}_")


def drop_database(settings: Settings) -> None:
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


def scratch_store(settings: Settings, clock: Clock, *,
                  indexes: bool = False) -> Iterator[MongoEventStore]:
    """The service's event store for one test (yield from it in a fixture); dropped after."""
    store = MongoEventStore(mongo.database(settings), settings.service, clock)
    if indexes:
        store.ensure_indexes()
    yield store
    drop_database(settings)


class Caller:
    """Calls the app as a department; one token per role so Idempotency-Key replays match."""

    def __init__(self, client: Any) -> None:
        self.client, self.tokens = client, {}

    def __call__(self, method: str, url: str, role: str | None = None, *,
                 scope: str | None = None, sub: str | None = None, **kwargs: Any) -> Any:
        """``scope``: call as the department's machine client holding only that scope;
        ``sub``: as that named official of ``role`` (a drawn inspector, say)."""
        headers = dict(kwargs.pop("headers", {}))
        if role:
            key = f"{role} {scope or ''} {sub or ''}"
            token = self.tokens.get(key) or mint(
                sub or f"test-{role}" + ("-client" if scope else ""), role,
                **({"regions": (), "duties": (), "scope": scope} if scope else {}))
            self.tokens[key] = token
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(url, method=method, headers=headers, **kwargs)


class Projected:
    """One projection on a test database: feed envelopes as the consumer applies a batch,
    read a collection of the active generation, rebuild as the command does."""

    def __init__(self, db: Any, projector: Any) -> None:
        from shared.readside.apply import Applier
        from shared.readside.mongo import MongoReadStore

        self.store, self.projector = MongoReadStore(db), projector
        self.applier = Applier(self.store, projector)

    def prepare(self) -> None:
        self.store.prepare(self.projector, self.store.active(self.projector)[0])

    def feed(self, envelopes: Any) -> None:
        from shared.readside.projector import to_event

        p = self.projector
        self.applier.apply([to_event(env, p.stream_of(env)) for env in envelopes])

    def __getitem__(self, logical: str) -> Any:
        return self.store.collection(self.projector, logical)

    def rebuild(self) -> int:
        from shared.readside.rebuild import rebuild

        return rebuild(self.store, self.projector, progress=False, settle=0)


class LocalBeacon:
    """A transparency log's beacon for tests without the log: for any record key, a
    checkpoint signed by a test key whose root is SHA-256 of the key (stands for the first
    signed checkpoint holding that record)."""

    def __init__(self) -> None:
        from shared.signednote import Signer

        self.signer = Signer.generate("beacon.test.example/log")

    def value(self, key: str) -> dict:
        import hashlib

        from shared.signednote import Checkpoint

        head = Checkpoint(self.signer.name, 1, hashlib.sha256(key.encode()).digest())
        return {"key": key, "index": 0, "checkpoint": self.signer.sign(head.text())}
