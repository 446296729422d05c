"""Inspection's consumers: ``python -m inspection.consumer``, two groups in two threads.

- ``inspection.directory``: eldercare.registry.events (filed, changed, cancelled
  institutions) and eldercare.credit.events (CreditLevelChanged) into the object directory.
- ``inspection.risk``: eldercare.risk.events; an orange or red alert opens a targeted
  inspection (once per alert: its stream id comes from the alert id).

A topic that does not exist yet is picked up within seconds of its creation.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Sequence

from pymongo.database import Database

from inspection.adapters.directory import GROUP, MongoObjectDirectory
from inspection.app.common import SERVICE
from inspection.app.targeted import open_from_alert
from inspection.config import load_rules
from shared import kafka, metrics, mongo
from shared.clock import Clock, SystemClock
from shared.config import DEAD_LETTER_TOPIC, Settings, topic_for
from shared.consumer import EventConsumer, run_groups
from shared.envelope import Envelope
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore, MongoEventStore
from shared.workdays import WorkCalendar

TOPICS = (topic_for("registry"), topic_for("credit"), topic_for("risk"))


def build(settings: Settings, db: Database, topics: Sequence[str] = TOPICS,
          group: str = GROUP, fast: bool = False) -> EventConsumer:
    """An EventConsumer of registry and credit events into the object directory."""
    directory = MongoObjectDirectory(db)
    directory.ensure_indexes()
    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics), group, directory.apply,
                         kafka.producer(settings.kafka_bootstrap),
                         batch_handler=directory.apply_batch)


RISK_GROUP = "inspection.risk"
OPENING = ("RiskAlertRaised", "RiskAlertEscalated")


def build_targeted(settings: Settings, store: EventStore,
                   topics: Sequence[str] = (topic_for("risk"),), group: str = RISK_GROUP,
                   fast: bool = False, clock: Clock | None = None) -> EventConsumer:
    """An EventConsumer of risk alerts that opens targeted inspections."""
    rules, calendar, clock = load_rules(settings), WorkCalendar(), clock or SystemClock()

    def handle(env: Envelope) -> None:
        if env.service != "risk" or env.name not in OPENING:
            return
        meta = CommitMeta.system(str(uuid.uuid4()), actor="inspection.consumer")
        try:
            open_from_alert(env.data, store=store, clock=clock, calendar=calendar,
                            rules=rules, meta=meta)
        except ConcurrencyConflict:
            pass  # another copy opened it first: the same inspection

    return EventConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=fast),
                         list(topics), group, handle, kafka.producer(settings.kafka_bootstrap))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s inspection-consumer %(message)s")
    settings = Settings.from_env(SERVICE)
    kafka.ensure_topics(settings.kafka_bootstrap, [topic_for("registry"), topic_for("risk"),
                                                   DEAD_LETTER_TOPIC],
                        settings.topic_partitions)
    metrics.serve_from_env()
    db = mongo.database(settings)
    store = MongoEventStore(db, SERVICE)
    store.ensure_indexes()
    return run_groups([build(settings, db), build_targeted(settings, store)])


if __name__ == "__main__":
    sys.exit(main())
