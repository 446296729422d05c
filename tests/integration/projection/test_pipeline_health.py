"""Health tells the truth (issue 13): the projection is ready only while its database, the
broker and every consumer group are alive and keeping up with the relays they read, judged
from the platform's own marks; the status behind it is for signed-in officials only."""

from __future__ import annotations

import dataclasses
import time

from projection.bootstrap import create_app
from projection.pipeline import sources_of

from shared import kafka, ops
from shared.eventstore import CommitMeta, MongoEventStore, NewEvent
from shared.relay import Relay
from tests.signer import mint

BOUND = 30


def _app(settings, db):
    lagging = dataclasses.replace(settings, extra={**settings.extra,
                                                   "ELDERCARE_MAX_LAG_SECONDS": str(BOUND)})
    app = create_app(lagging, db=db)
    app.config["TESTING"] = True
    return app.test_client()


def _everyone_level(settings, db, mongo_client, position: int) -> None:
    for service in {s for ss in sources_of().values() for s in ss}:
        ops.record_relay(mongo_client[f"{settings.db_prefix}{service}"], service, position,
                         "test-relay")
    for group, services in sources_of().items():
        ops.record_consumer(db, group, dict.fromkeys(services, position), applied=True)


def test_ready_only_while_every_consumer_is_alive_and_level(settings, db, mongo_client):
    client = _app(settings, db)
    before = client.get("/readyz")
    assert before.status_code == 503 and before.json["checks"]["consumers"] is False
    _everyone_level(settings, db, mongo_client, 10**18)
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    # the registry's relay publishes on; the directory's consumer applied nothing for longer
    # than the bound (its heartbeat is fresh: alive, but not keeping up)
    group = next(g for g, s in sources_of().items() if "registry" in s)
    ops.record_relay(mongo_client[f"{settings.db_prefix}registry"], "registry", 10**18 + 5e9,
                     "test-relay")
    db[ops.PROGRESS].update_one({"_id": group}, {"$set": {"applied_at": time.time() - BOUND - 1}})
    behind = client.get("/readyz")
    assert behind.status_code == 503 and behind.json["checks"]["consumers"] is False
    assert client.get("/ops/status").status_code == 401  # officials only
    status = client.get("/ops/status", headers={
        "Authorization": f"Bearer {mint('u', 'civil_affairs')}"}).json
    rows = {(r["group"], r["source"]): r for r in status["consumers"]}
    assert rows[(group, "registry")]["state"] == "lagging"
    assert rows[(group, "registry")]["behind_seconds"] == 5.0
    assert sum(r["state"] != "ok" for r in status["consumers"]) == 1
    assert status["relays"]["registry"]["position"] == 10**18 + 5 * 10**9


def test_the_active_relay_marks_its_progress(infra, mongo_client, unique):
    db = mongo_client[f"t_{unique}_relaymarks"]
    store = MongoEventStore(db, "kerneltest")
    store.ensure_indexes()
    for v in range(3):
        store.append("s", v, [NewEvent("ThingHappened", {"n": v})], CommitMeta())
    assert ops.relay_status(db)["backlog"] == 3
    topic = f"t.marks.{unique}"
    kafka.ensure_topics(infra.kafka, [topic], 1)
    relay = Relay(store, topic, lambda: kafka.producer(infra.kafka),
                  progress=lambda position: ops.record_relay(db, "kerneltest", position, "me"))
    relay.drain()
    status = ops.relay_status(db)
    assert status["backlog"] == 0 and status["position"] == store.max_position()
    assert time.time() - status["marked_at"] < 30
    mongo_client.drop_database(db.name)
