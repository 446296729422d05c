"""Entry point of the projection consumers: ``python -m projection.consumer``.

One batched consumer group per projection (projections.PROJECTORS), each in its own thread.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from pymongo.database import Database

from projection.projections import PROJECTORS
from projection.projector import PROJECTOR as DIRECTORY
from shared import kafka, metrics, mongo, ops
from shared.config import DEAD_LETTER_TOPIC, Settings
from shared.consumer import run_groups, until_ready
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Projector


def prepare(db: Database) -> None:
    """Indexes of every projection's inbox and active generation (idempotent)."""
    store = MongoReadStore(db)
    for p in PROJECTORS:
        store.prepare(p, store.active(p)[0])


def build(settings: Settings, db: Database, topics: Sequence[str] | None = None,
          group: str | None = None, fast: bool = False,
          projector: Projector = DIRECTORY) -> ProjectionConsumer:
    """The batched consumer of one projection (the public directory unless told)."""
    group = group or projector.group

    def progress(positions: dict[str, int], applied: bool, broker_error: str | None) -> None:
        ops.record_consumer(db, group, {ops.source_key(s): p for s, p in positions.items()},
                            applied, broker_error)

    return ProjectionConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                              projector, MongoReadStore(db),
                              kafka.producer(settings.kafka_bootstrap), topics=topics,
                              group=group, progress=progress)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env("projection")
    db = mongo.database(settings)
    until_ready("the projections' indexes", lambda: prepare(db))
    topics = sorted({t for p in PROJECTORS for t in p.topics})
    kafka.ensure_topics(settings.kafka_bootstrap, [*topics, DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    return run_groups([build(settings, db, projector=p) for p in PROJECTORS])


if __name__ == "__main__":
    sys.exit(main())
