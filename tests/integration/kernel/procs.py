"""Child-process entry points for the crash and concurrency tests (run with python -m)."""

from __future__ import annotations

import json
import sys
import threading

from pymongo import MongoClient

from shared import kafka
from shared.consumer import EventConsumer
from shared.eventstore import CommitMeta, ConcurrencyConflict, MongoEventStore, NewEvent
from shared.readmodel import apply_once
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Projection


def race_writer(uri: str, db: str, stream: str, writer: str, versions: int) -> None:
    """Try to append at every expected version 0..n-1; print which ones this writer won."""
    store = MongoEventStore(MongoClient(uri, tz_aware=True)[db], "kerneltest")
    won = []
    for v in range(versions):
        try:
            store.append(stream, v, [NewEvent("ThingHappened", {"n": v, "writer": writer})],
                         CommitMeta(actor=writer))
            won.append(v)
        except ConcurrencyConflict:
            pass
    print(json.dumps(won))


def retry_writer(uri: str, db: str, stream: str, writer: str, count: int) -> None:
    """Append `count` events, reloading and retrying on conflict (nothing may be lost)."""
    store = MongoEventStore(MongoClient(uri, tz_aware=True)[db], "kerneltest")
    done = 0
    while done < count:
        s = store.load(stream)
        try:
            store.append(stream, s.version, [NewEvent("ThingHappened", {"n": done,
                                                                        "writer": writer})],
                         CommitMeta(actor=writer), last_position=s.last_position)
            done += 1
        except ConcurrencyConflict:
            continue
    print(json.dumps(done))


def consume(uri: str, db: str, bootstrap: str, topic: str, group: str, dlq: str) -> None:
    """A consumer whose effect records every applied version in the document's history."""
    coll = MongoClient(uri, tz_aware=True)[db]["rm_things"]

    def handler(env) -> None:  # type: ignore[no-untyped-def]
        apply_once(coll, env.subject, env.stream_version,
                   {"$push": {"history": env.stream_version}}, group)

    consumer = EventConsumer(kafka.consumer(bootstrap, group, fast=True), [topic], group,
                             handler, kafka.producer(bootstrap))
    consumer.run(threading.Event())


THING = "eldercare.kerneltest.ThingHappened.v1"


def _history_fold(docs, e):  # type: ignore[no-untyped-def]
    old = docs[("rm_things", e.stream)] or {"history": []}
    return {("rm_things", e.stream): {"history": [*old["history"], e.version]}}


HISTORY = Projection(
    name="kerneltest", group="kerneltest", topics=(), event_types=frozenset({THING}),
    inbox="rm_inbox", collections={"rm_things": ()},
    targets=lambda e: [("rm_things", e.stream)], fold=_history_fold,
    versioned=frozenset({"rm_things"}))


def project(uri: str, db: str, bootstrap: str, topic: str, group: str, batch: int) -> None:
    """The batched projection consumer; its fold appends every version it folds."""
    store = MongoReadStore(MongoClient(uri, tz_aware=True)[db])
    consumer = ProjectionConsumer(kafka.consumer(bootstrap, group, fast=True), HISTORY, store,
                                  kafka.producer(bootstrap), topics=[topic], group=group,
                                  batch=batch)
    consumer.run(threading.Event())


if __name__ == "__main__":
    ENTRIES = {"race": race_writer, "retry": retry_writer, "consume": consume,
               "project": project}
    ENTRIES[sys.argv[1]](*[int(a) if a.isdigit() else a for a in sys.argv[2:]])  # type: ignore[operator]
