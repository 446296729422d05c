"""Entry point of the public-directory consumer: ``python -m projection.consumer``."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence

from pymongo.database import Database

from projection.adapters import generations
from projection.adapters.generations import ActivePointer
from projection.adapters.inbox import MongoInbox
from projection.consumers.public_directory import GROUP, PublicDirectoryHandler
from shared import kafka, metrics, mongo
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer


def prepare(db: Database) -> None:
    """Indexes of the inbox and the active generation (idempotent)."""
    MongoInbox(db).ensure_indexes()
    generations.ensure_indexes(generations.active_collection(db))


def build(settings: Settings, db: Database, topics: Sequence[str] | None = None,
          group: str = GROUP, fast: bool = False) -> EventConsumer:
    """An EventConsumer of registry events into the public directory."""
    handler = PublicDirectoryHandler(MongoInbox(db), ActivePointer(db), group)
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics or [topic_for("registry")]), group, handler,
                         kafka.producer(settings.kafka_bootstrap))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env("projection")
    db = mongo.database(settings)
    prepare(db)
    kafka.ensure_topics(settings.kafka_bootstrap, [topic_for("registry"), DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    logging.getLogger(__name__).info("consuming %s as %s", topic_for("registry"), GROUP)
    consumer = build(settings, db)
    try:
        consumer.run(stop)
    finally:
        consumer.dead_letters.close()  # flushes any dead letter still in flight
    return 0


if __name__ == "__main__":
    sys.exit(main())
