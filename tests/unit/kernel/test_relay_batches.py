"""The relay's batching keeps its promises whatever fails and whenever commits turn up late.

Invariants checked for any mix of batch sizes, failing deliveries and late commits:
- a commit is marked published only after every one of its events was acknowledged;
- once the relay finishes without a failure, nothing stored is left unpublished and every
  event reached the broker;
- per stream, the first copy of each event arrives in version order (duplicates only after a
  failure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from confluent_kafka import KafkaError
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.eventstore import CommitMeta, InMemoryEventStore, NewEvent
from shared.relay import DeliveryFailed, Relay

SERVICE = "kerneltest"


class FakeBroker:
    """Keeps what was acknowledged, in order; the test's stand-in for a topic."""

    def __init__(self) -> None:
        self.acked: list[tuple[str, str]] = []  # (stream id, event id)


class FakeProducer:
    """Acknowledges at flush, except the message numbers in ``fail`` and, like an idempotent
    producer on one partition, every later message of the same key in that flush."""

    def __init__(self, broker: FakeBroker, fail: set[int], before_flush: Callable[[], None]):
        self.broker, self.fail, self.before_flush = broker, fail, before_flush
        self.queue: list[tuple[int, str, str, Callable]] = []
        self.sent = 0

    def produce(self, topic, key, value, headers, on_delivery):  # type: ignore[no-untyped-def]
        self.queue.append((self.sent, key.decode(), dict(headers)["ce_id"].decode(), on_delivery))
        self.sent += 1

    def poll(self, timeout: float = 0) -> int:
        return 0

    def flush(self, timeout: float = 20) -> int:
        self.before_flush()
        broken: set[str] = set()
        for number, stream, event_id, on_delivery in self.queue:
            if number in self.fail or stream in broken:
                broken.add(stream)
                on_delivery(KafkaError(KafkaError._MSG_TIMED_OUT), None)
            else:
                self.broker.acked.append((stream, event_id))
                on_delivery(None, None)
        self.queue.clear()
        return 0


def _late_commit(store: InMemoryEventStore, stream_id: str, position: int) -> None:
    """A commit that becomes visible only now although its position is old (a slow writer),
    at once followed by the next commit of its stream, which gets a new position."""
    store.insert_late(stream_id, [NewEvent("ThingHappened", {"n": 0})], position)
    store.append(stream_id, 1, [NewEvent("ThingHappened", {"n": 1})], CommitMeta())


@settings(max_examples=60, deadline=None)
@given(streams=st.integers(1, 4), commits=st.integers(1, 6), per_commit=st.integers(1, 3),
       batch=st.integers(1, 7),
       failures=st.lists(st.sets(st.integers(0, 30), max_size=4), max_size=3),
       late_at=st.sets(st.integers(0, 8), max_size=3))
def test_batches_mark_only_acknowledged_commits_and_lose_nothing(
        streams, commits, per_commit, batch, failures, late_at):
    store = InMemoryEventStore(SERVICE)
    for v in range(commits):
        for s in range(streams):
            store.append(f"s-{s}", v * per_commit,
                         [NewEvent("ThingHappened", {"n": i}) for i in range(per_commit)],
                         CommitMeta())
    broker, flushes = FakeBroker(), [0]
    plan = list(failures)

    def before_flush() -> None:
        if flushes[0] in late_at:
            _late_commit(store, f"late-{flushes[0]}", 1 + flushes[0])
        flushes[0] += 1

    def producer() -> FakeProducer:
        return FakeProducer(broker, plan.pop(0) if plan else set(), before_flush)

    mark = store.mark_published

    def checked_mark(ids):  # type: ignore[no-untyped-def]
        acked = {event_id for _, event_id in broker.acked}
        for cid in ids:
            assert all(e.id in acked for e in store._commits[cid]["envelopes"]), cid
        mark(ids)

    store.mark_published = checked_mark  # type: ignore[method-assign]
    relay = Relay(store, "t", producer, batch=batch)
    for _attempt in range(len(failures) + 2):
        try:
            relay.drain()
            break
        except DeliveryFailed:
            continue
    assert not store.unpublished()
    stored = {cid: d for cid, d in store._commits.items()}
    every = [e for d in stored.values() for e in d["envelopes"]]
    assert {event_id for _, event_id in broker.acked} == {e.id for e in every}
    version = {e.id: e.stream_version for e in every}
    first: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for stream, event_id in broker.acked:
        if event_id not in seen:
            seen.add(event_id)
            first[stream].append(version[event_id])
    assert all(vs == sorted(vs) == list(range(1, len(vs) + 1)) for vs in first.values())
