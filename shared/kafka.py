"""confluent-kafka configuration and topic management (the only module that knows librdkafka)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

log = logging.getLogger(__name__)


def producer(bootstrap: str, **overrides: object) -> Producer:
    """Idempotent producer: no duplicates or reordering from its own retries."""
    conf: dict[str, object] = {
        "bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
        "linger.ms": 5, "message.timeout.ms": 15000, "client.id": "eldercare-relay",
    }
    conf.update(overrides)
    return Producer(conf)


def consumer(bootstrap: str, group: str, fast: bool = False, **overrides: object) -> Consumer:
    """Offsets are stored by the caller only after the effect is stored."""
    conf: dict[str, object] = {
        "bootstrap.servers": bootstrap, "group.id": group,
        "session.timeout.ms": 2000 if fast else 6000,
        "heartbeat.interval.ms": 500 if fast else 1000,
        "auto.offset.reset": "earliest", "enable.auto.commit": True,
        "auto.commit.interval.ms": 500, "enable.auto.offset.store": False,
        "enable.partition.eof": False,
        "topic.metadata.refresh.interval.ms": 5000,  # find a topic created after subscribe
    }
    conf.update(overrides)
    return Consumer(conf)


def existing_topics(bootstrap: str, timeout: float = 10.0) -> set[str]:
    return set(AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=timeout).topics)


def ensure_topics(bootstrap: str, topics: Iterable[str], partitions: int,
                  timeout: float = 15.0, patience: float = 120.0) -> set[str]:
    """Create missing topics explicitly; return the names that had to be created. While the
    broker is still coming back (after its restart) this is tried again for up to
    ``patience`` seconds, so a consumer does not crash-loop through its supervisor's back-off."""
    from shared.consumer import until_ready  # the retry loop of every start-up step

    wanted = list(topics)
    return until_ready("the broker's topics",
                       lambda: _ensure_topics(bootstrap, wanted, partitions, timeout), patience)


def _ensure_topics(bootstrap: str, topics: list[str], partitions: int,
                   timeout: float) -> set[str]:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [t for t in topics if t not in existing]
    if not missing:
        return set()
    futures = admin.create_topics([NewTopic(t, num_partitions=partitions, replication_factor=1)
                                   for t in missing], operation_timeout=timeout)
    created = set()
    for name, fut in futures.items():
        try:
            fut.result(timeout)
            created.add(name)
        except Exception as exc:  # noqa: BLE001 - a concurrent creator is fine
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
    log.info("created topics %s", sorted(created))
    return created


def broker_reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    try:
        AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=timeout)
        return True
    except Exception:  # noqa: BLE001
        return False
