"""Credit's consumers: ``python -m credit.consumer`` runs one EventConsumer per source service.

Each source (credit/consumers/<source>.py) has its own group ``credit.<source>`` and thread;
a source whose contracts are not published yet is skipped until they are.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import ModuleType

from credit import consumers
from credit.app.common import SERVICE, Context
from credit.bootstrap import build_context
from credit.consumers.runner import SourceHandler
from shared import kafka, metrics, mongo
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer
from shared.eventstore import MongoEventStore

log = logging.getLogger("credit.consumer")


def group_for(source: str) -> str:
    return f"credit.{source}"


def build(settings: Settings, ctx: Context, source: ModuleType, topics: list[str] | None = None,
          group: str | None = None, fast: bool = False) -> EventConsumer:
    """The EventConsumer of one source's topic."""
    group = group or group_for(source.SOURCE)
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         topics or [topic_for(source.SOURCE)], group, SourceHandler(ctx, source),
                         kafka.producer(settings.kafka_bootstrap))


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
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=_run, args=(build(settings, ctx, m), stop),
                                name=m.SOURCE, daemon=True) for m in found]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads) and not stop.wait(0.5):
        pass
    stop.set()
    for t in threads:
        t.join(15)
    return 0


def _run(consumer: EventConsumer, stop: threading.Event) -> None:
    """One source per thread; a crashed thread stops the process (restarted whole)."""
    log.info("consuming %s as %s", consumer.topics, consumer.group)
    try:
        consumer.run(stop)
    except Exception:  # noqa: BLE001 - let the supervisor restart the process
        log.exception("consumer %s crashed", consumer.group)
        stop.set()
    finally:
        consumer.dead_letters.flush(10)


if __name__ == "__main__":
    sys.exit(main())
