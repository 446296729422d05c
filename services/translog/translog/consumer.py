"""Transparency-log consumer: ``python -m translog.consumer``. Group ``translog`` reads the
topics of the services that disclose and appends each disclosure as a leaf (once per event
id), taking down the records a withdrawal names."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from pymongo.database import Database

from shared import kafka, metrics, mongo
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer, run_groups
from shared.envelope import Envelope
from translog.adapters import MongoLog
from translog.app.log import on_event, on_events
from translog.domain.leaves import DISCLOSURES

GROUP = "translog"
SOURCES = tuple(sorted({service for service, _ in DISCLOSURES}))  # whoever discloses
TOPICS = tuple(topic_for(s) for s in SOURCES)


def build(settings: Settings, db: Database, topics: Sequence[str] = TOPICS,
          group: str = GROUP, fast: bool = False) -> EventConsumer:
    log = MongoLog(db)
    log.ensure_indexes()

    def handle(env: Envelope) -> None:
        on_event(log, env)

    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics), group, handle, kafka.producer(settings.kafka_bootstrap),
                         batch_handler=lambda envs: on_events(log, envs))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s translog-consumer %(message)s")
    settings = Settings.from_env("translog")
    kafka.ensure_topics(settings.kafka_bootstrap, [*TOPICS, DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    return run_groups([build(settings, mongo.database(settings))])


if __name__ == "__main__":
    sys.exit(main())
