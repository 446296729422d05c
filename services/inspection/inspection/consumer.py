"""Object directory consumer: ``python -m inspection.consumer``.

Reads eldercare.registry.events (filed, changed, cancelled institutions) and
eldercare.credit.events (CreditLevelChanged) into the service's own database. A topic that
does not exist yet is picked up within seconds of its creation.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence

from pymongo.database import Database

from inspection.adapters.directory import GROUP, MongoObjectDirectory
from inspection.app.common import SERVICE
from shared import kafka, metrics, mongo
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer

TOPICS = (topic_for("registry"), topic_for("credit"))


def build(settings: Settings, db: Database, topics: Sequence[str] = TOPICS,
          group: str = GROUP, fast: bool = False) -> EventConsumer:
    """An EventConsumer of registry and credit events into the object directory."""
    directory = MongoObjectDirectory(db)
    directory.ensure_indexes()
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics), group, directory.apply,
                         kafka.producer(settings.kafka_bootstrap))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s inspection-consumer %(message)s")
    settings = Settings.from_env(SERVICE)
    kafka.ensure_topics(settings.kafka_bootstrap, [topic_for("registry"), DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    consumer = build(settings, mongo.database(settings))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    logging.getLogger(__name__).info("consuming %s as %s", consumer.topics, consumer.group)
    try:
        consumer.run(stop)
    finally:
        consumer.dead_letters.flush(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
