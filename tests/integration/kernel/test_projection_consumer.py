"""The batched projection consumer over real Kafka and MongoDB: killed at random it folds
every version exactly once; bad events go to the dead-letter topic and the rest is applied."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from shared.readside.store import physical
from tests.integration.kernel.helpers import new_topic, wait_for
from tests.integration.kernel.procs import HISTORY
from tests.integration.kernel.test_consumer_crash import (
    _dead_letter_reasons,
    _envelope,
    _publish,
)

STREAMS, PER_STREAM = 10, 40


def test_a_projection_consumer_killed_repeatedly_folds_each_version_once(infra, mongo_client,
                                                                           unique):
    topic, group, db = new_topic(infra), f"g-{unique}", f"t_{unique}"
    envs = [_envelope(f"s-{s}", v) for v in range(1, PER_STREAM + 1) for s in range(STREAMS)]
    _publish(infra.kafka, topic, envs)
    cmd = [sys.executable, "-m", "tests.integration.kernel.procs", "project", infra.mongo_uri,
           db, infra.kafka, topic, group, "7"]
    coll = mongo_client[db][physical("rm_things", 1)]
    rng = random.Random(5)
    for _ in range(4):  # kill -9 between writes and offset commits, wherever it falls
        p = subprocess.Popen(cmd, env=os.environ.copy())
        time.sleep(rng.uniform(1.5, 3.0))
        p.kill()
        p.wait()
    p = subprocess.Popen(cmd, env=os.environ.copy())
    try:
        wait_for(lambda: sum(len(d["history"]) for d in coll.find({})) >= len(envs)
                 or p.poll() is not None, timeout=120)
        time.sleep(1.5)  # a redelivery, if any, arrives before the assertions
    finally:
        p.kill()
        p.wait()
    docs = {d["_id"]: d for d in coll.find({})}
    assert len(docs) == STREAMS
    for d in docs.values():
        assert d["history"] == list(range(1, PER_STREAM + 1)) and d["_v"] == PER_STREAM


def test_bad_events_are_dead_lettered_and_the_batch_applied(infra, mongo_client, unique):
    topic, group = new_topic(infra), f"g-{unique}"
    kafka.ensure_topics(infra.kafka, [DEAD_LETTER_TOPIC], 3)
    store = MongoReadStore(mongo_client[f"t_{unique}"])
    bad = _envelope(f"bad-{unique}", 1, {"n": "not a number"})
    good = [_envelope(f"good-{unique}", v) for v in (1, 2)]
    p = kafka.producer(infra.kafka)
    p.produce(topic, key=f"raw-{unique}".encode(), value=b"{not json", headers=[("x", b"1")])
    assert p.flush(10) == 0
    _publish(infra.kafka, topic, [bad, *good])
    consumer = ProjectionConsumer(kafka.consumer(infra.kafka, group, fast=True), HISTORY, store,
                                  kafka.producer(infra.kafka), topics=[topic], group=group)
    stop = threading.Event()
    t = threading.Thread(target=consumer.run, args=(stop,))
    t.start()
    coll = store.db[physical("rm_things", 1)]
    try:
        wait_for(lambda: (coll.find_one({"_id": good[0].subject}) or {}).get("_v") == 2,
                 timeout=30)
        reasons = _dead_letter_reasons(infra.kafka, unique)
    finally:
        stop.set()
        t.join(10)
    assert "missing CloudEvents headers" in reasons[f"raw-{unique}"]
    assert "n: 'not a number' is not of type 'integer'" in reasons[bad.subject]
    assert coll.find_one({"_id": bad.subject}) is None
