"""confluent-kafka configuration and topic management (the only module that knows librdkafka)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

log = logging.getLogger(__name__)
PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
Conf = dict[str, str | int | float | bool]  # what librdkafka's clients take
MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")


class KafkaConfigError(ValueError):
    """A Kafka setting is missing or wrong; the message names the variable."""


def security(env: Mapping[str, str] | None = None) -> Conf:
    """Client security from the environment, the same for every client of a process:
    KAFKA_SECURITY_PROTOCOL (PLAINTEXT unless set), for SASL_* KAFKA_SASL_MECHANISM
    (SCRAM-SHA-512 unless set), KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE (or
    KAFKA_SASL_PASSWORD), for *SSL KAFKA_SSL_CA_LOCATION. No credential has a default: a SASL
    protocol without them is refused, naming the variable."""
    e = os.environ if env is None else env
    protocol = e.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper()
    if protocol not in PROTOCOLS:
        raise KafkaConfigError(f"KAFKA_SECURITY_PROTOCOL must be one of {', '.join(PROTOCOLS)}")
    conf: Conf = {"security.protocol": protocol}
    if protocol.startswith("SASL_"):
        mechanism = e.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").upper()
        if mechanism not in MECHANISMS:
            raise KafkaConfigError(f"KAFKA_SASL_MECHANISM must be one of {', '.join(MECHANISMS)}")
        user = e.get("KAFKA_SASL_USERNAME", "")
        secret_file = e.get("KAFKA_SASL_PASSWORD_FILE", "")
        secret = Path(secret_file).read_text(encoding="utf-8").strip() if secret_file \
            else e.get("KAFKA_SASL_PASSWORD", "")
        if not user:
            raise KafkaConfigError(f"KAFKA_SASL_USERNAME is required with {protocol}")
        if not secret:
            raise KafkaConfigError("KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) is "
                                   f"required with {protocol}")
        conf |= {"sasl.mechanism": mechanism, "sasl.username": user, "sasl.password": secret}
    if protocol.endswith("SSL") and e.get("KAFKA_SSL_CA_LOCATION"):
        conf["ssl.ca.location"] = e["KAFKA_SSL_CA_LOCATION"]
    return conf


def client_conf(bootstrap: str) -> Conf:
    return {"bootstrap.servers": bootstrap, **security()}


def topic_settings(env: Mapping[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """Replication factor and topic config of created topics: TOPIC_REPLICATION_FACTOR
    (1 unless set: one broker) and TOPIC_MIN_INSYNC_REPLICAS (1 unless set; at most the
    replication factor)."""
    e = os.environ if env is None else env
    try:
        factor = int(e.get("TOPIC_REPLICATION_FACTOR", "1"))
        min_isr = int(e.get("TOPIC_MIN_INSYNC_REPLICAS", "1"))
    except ValueError as exc:
        raise KafkaConfigError("TOPIC_REPLICATION_FACTOR and TOPIC_MIN_INSYNC_REPLICAS are "
                               "whole numbers") from exc
    if factor < 1 or not 1 <= min_isr <= factor:
        raise KafkaConfigError("need TOPIC_REPLICATION_FACTOR >= 1 and 1 <= "
                               "TOPIC_MIN_INSYNC_REPLICAS <= TOPIC_REPLICATION_FACTOR")
    return factor, {"min.insync.replicas": str(min_isr)}


def producer(bootstrap: str, **overrides: object) -> Producer:
    """Idempotent producer: no duplicates or reordering from its own retries."""
    conf: dict[str, object] = {
        **client_conf(bootstrap), "enable.idempotence": True, "acks": "all",
        "linger.ms": 5, "message.timeout.ms": 15000, "client.id": "eldercare-relay",
    }
    conf.update(overrides)
    return Producer(conf)


def consumer(bootstrap: str, group: str, fast: bool = False, **overrides: object) -> Consumer:
    """Offsets are stored by the caller only after the effect is stored."""
    conf: dict[str, object] = {
        **client_conf(bootstrap), "group.id": group,
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
    return set(AdminClient(client_conf(bootstrap)).list_topics(timeout=timeout).topics)


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
    admin = AdminClient(client_conf(bootstrap))
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [t for t in topics if t not in existing]
    if not missing:
        return set()
    factor, config = topic_settings()
    futures = admin.create_topics([NewTopic(t, num_partitions=partitions,
                                            replication_factor=factor, config=config)
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
        AdminClient(client_conf(bootstrap)).list_topics(timeout=timeout)
        return True
    except Exception:  # noqa: BLE001
        return False


def main(argv: list[str] | None = None) -> int:
    """``python -m shared.kafka create-topics TOPIC...``: create the missing topics with
    TOPIC_PARTITIONS partitions (and the replication settings above) on
    KAFKA_BOOTSTRAP_SERVERS, waiting for the broker; for deployments whose broker image has
    no Kafka tools (the stand-in)."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m shared.kafka")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("create-topics").add_argument("topics", nargs="+")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s kafka %(message)s")
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
    if not bootstrap:
        raise KafkaConfigError("KAFKA_BOOTSTRAP_SERVERS is required")
    made = ensure_topics(bootstrap, args.topics, int(os.environ.get("TOPIC_PARTITIONS", "3")))
    print(f"topics: {len(args.topics)} wanted, {len(made)} created")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
