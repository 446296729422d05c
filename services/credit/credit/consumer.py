"""Credit's consumers: ``python -m credit.consumer`` runs one EventConsumer per source service.

Each source (credit/consumers/<source>.py) has its own group ``credit.<source>`` and thread;
a source whose contracts are not published yet is skipped until they are.
"""

from __future__ import annotations

import logging
import sys
from types import ModuleType

from credit import consumers
from credit.app.common import SERVICE, Context
from credit.bootstrap import build_context
from credit.consumers.runner import SourceHandler
from shared import kafka, metrics, mongo
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer, run_groups
from shared.eventstore import MongoEventStore

log = logging.getLogger("credit.consumer")


def group_for(source: str) -> str:
    return f"credit.{source}"


def build(settings: Settings, ctx: Context, source: ModuleType, topics: list[str] | None = None,
          group: str | None = None, fast: bool = False) -> EventConsumer:
    """The EventConsumer of one source's topic."""
    group = group or group_for(source.SOURCE)
    handler = SourceHandler(ctx, source)
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         topics or [topic_for(source.SOURCE)], group, handler,
                         kafka.producer(settings.kafka_bootstrap), batch_handler=handler.batch)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s credit-consumer %(message)s")
    settings = Settings.from_env(SERVICE)
    store = MongoEventStore(mongo.database(settings), SERVICE)
    store.ensure_indexes()
    ctx = build_context(settings, store)
    found = consumers.sources()
    kafka.ensure_topics(settings.kafka_bootstrap, [topic_for(m.SOURCE) for m in found]
                        + [DEAD_LETTER_TOPIC], settings.topic_partitions)
    metrics.serve_from_env()
    return run_groups([build(settings, ctx, m) for m in found])


if __name__ == "__main__":
    sys.exit(main())
