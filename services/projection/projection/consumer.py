"""Entry point of the public-directory consumer: ``python -m projection.consumer``."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence

from pymongo.database import Database

from projection import features
from projection.adapters import generations
from projection.adapters.generations import ActivePointer
from projection.adapters.inbox import MongoInbox
from projection.consumers.public_directory import GROUP, PublicDirectoryHandler
from projection.features import guard
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
    consumers = [build(settings, db), *build_features(settings, db)]
    threads = [threading.Thread(target=_run, args=(c, stop), name=c.group, daemon=True)
               for c in consumers]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads) and not stop.wait(0.5):
        pass
    stop.set()
    for t in threads:
        t.join(15)
    return 0


def _run(consumer: EventConsumer, stop: threading.Event) -> None:
    """One consumer group per thread; a crashed thread stops the process (restarted whole)."""
    logging.getLogger(__name__).info("consuming %s as %s", consumer.topics, consumer.group)
    try:
        consumer.run(stop)
    except Exception:  # noqa: BLE001 - let the supervisor restart the process
        logging.getLogger(__name__).exception("consumer %s crashed", consumer.group)
        stop.set()
    finally:
        consumer.dead_letters.flush(10)  # any dead letter still in flight


def build_features(settings: Settings, db: Database, fast: bool = False) -> list[EventConsumer]:
    """The consumers of every feature package (projection.features.*)."""
    out = []
    for feature in features.discover():
        for spec in feature.consumers:
            spec.prepare(db)
            out.append(EventConsumer(
                kafka.consumer(settings.kafka_bootstrap, spec.group, fast=fast),
                list(spec.topics), spec.group,
                guard.guarded(db, feature.name, spec.build_handler(db)),
                kafka.producer(settings.kafka_bootstrap)))
    return out


if __name__ == "__main__":
    sys.exit(main())
