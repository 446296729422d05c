"""Registry and credit events through real Kafka into the object directory, idempotently."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from inspection.consumer import build

from shared import kafka
from shared.envelope import Envelope, ce_type, new_event_id
from tests.integration.projection.helpers import wait_until
from tests.unit.inspection.builders import filed, make_uscc, registry_event


def _credit(uscc: str, level: str, version: int) -> Envelope:
    return Envelope(id=new_event_id(), source="/eldercare/credit",
                    type=ce_type("credit", "CreditLevelChanged"), subject=f"credit-{uscc}",
                    time=datetime(2026, 11, 1, tzinfo=UTC), stream_version=version, data={
                        "institution_uscc": uscc, "level": level, "previous_level": "B",
                        "score": 40, "as_of": "2026-11-01", "reason": "record_added",
                        "records_counted": 2})


def test_filed_changed_cancelled_and_credit_level_reach_the_directory(settings, db, unique):
    registry, credit = f"t_reg_{unique}", f"t_credit_{unique}"
    kafka.ensure_topics(settings.kafka_bootstrap, [registry, credit], 1)
    one, two = make_uscc(1), make_uscc(2)
    envs = [filed(1), filed(2), registry_event("InstitutionCancelled", two, 2, {
        "receipt_no": "r", "reason": "停业", "cancelled_on": "2026-03-01"})]
    producer = kafka.producer(settings.kafka_bootstrap)
    for topic, env in [*((registry, e) for e in [*envs, envs[0]]), (credit, _credit(one, "D", 1))]:
        producer.produce(topic, key=env.subject.encode(), value=env.value(),
                         headers=env.headers())
    producer.flush(10)
    consumer = build(settings, db, topics=[registry, credit], group=f"g-{unique}", fast=True)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        from inspection.adapters.directory import MongoObjectDirectory

        directory = MongoObjectDirectory(db)
        entries = wait_until(lambda: [e for e in directory.entries() if e.credit_level == "D"]
                             and directory.entries())
        assert [(e.uscc, e.credit_level) for e in entries] == [(one, "D")]
        assert wait_until(lambda: (directory.get(two) or {}).get("filing_status") == "cancelled")
    finally:
        stop.set()
        thread.join(10)
