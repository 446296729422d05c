"""Risk consumer: ``python -m risk.consumer``. One group (``risk``) reads every service's
topic; each event that says something about an institution's risk is recorded on the
institution's risk stream (its event id makes a redelivery a no-op) and the institution is
re-assessed. Offsets are stored after the append."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Sequence

from risk.app.common import SERVICE, Deps, on_batch, on_event
from risk.bootstrap import build_deps
from shared import kafka, metrics
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer, run_groups
from shared.envelope import Envelope
from shared.eventstore import CommitMeta

GROUP = "risk"
SOURCES = ("registry", "fire_safety", "escrow", "credit", "complaints", "inspection")
TOPICS = tuple(topic_for(s) for s in SOURCES)


def handler(d: Deps):  # noqa: ANN201 - EventConsumer's handler type
    def handle(env: Envelope) -> None:
        if env.service not in SOURCES:
            return
        meta = CommitMeta.system(str(uuid.uuid4()), actor="risk.consumer")
        on_event(d, env, meta)

    return handle


def batch_handler(d: Deps):  # noqa: ANN201 - EventConsumer's batch handler type
    def handle(envs: Sequence[Envelope]) -> None:
        on_batch(d, [e for e in envs if e.service in SOURCES],
                 lambda: CommitMeta.system(str(uuid.uuid4()), actor="risk.consumer"))

    return handle


def build(settings: Settings, d: Deps, topics: Sequence[str] = TOPICS, group: str = GROUP,
          fast: bool = False) -> EventConsumer:
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics), group, handler(d),
                         kafka.producer(settings.kafka_bootstrap),
                         batch_handler=batch_handler(d))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s risk-consumer %(message)s")
    settings = Settings.from_env(SERVICE)
    d = build_deps(settings)
    kafka.ensure_topics(settings.kafka_bootstrap, [*TOPICS, DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    return run_groups([build(settings, d)])


if __name__ == "__main__":
    sys.exit(main())
