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

import pytest
from confluent_kafka import KafkaError
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.eventstore import CommitMeta, InMemoryEventStore, NewEvent
from shared.relay import LINGER, LINGER_ENV, DeliveryFailed, Relay, linger_from_env

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
        self.broken: set[str] = set()
        for number, stream, event_id, on_delivery in self.queue:
            error = self.error_for(number, stream, event_id)
            if error is not None:
                on_delivery(KafkaError(error), None)
            else:
                self.broker.acked.append((stream, event_id))
                on_delivery(None, None)
        self.queue.clear()
        return 0

    def error_for(self, number: int, stream: str, event_id: str) -> int | None:
        """A timeout for the chosen messages and every later one of their key."""
        if number in self.fail or stream in self.broken:
            self.broken.add(stream)
            return int(KafkaError._MSG_TIMED_OUT)
        return None


def _first_copies(broker: FakeBroker, version: dict[str, int]) -> dict[str, list[int]]:
    """Per stream, the versions of the first copy of each event, in arrival order."""
    first: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for stream, event_id in broker.acked:
        if event_id not in seen:
            seen.add(event_id)
            first[stream].append(version[event_id])
    return first


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
    first = _first_copies(broker, version)
    assert all(vs == sorted(vs) == list(range(1, len(vs) + 1)) for vs in first.values())


class RefusingProducer(FakeProducer):
    """The broker refuses the messages whose event id is in ``refuse`` (too large for it),
    and acknowledges everything else, including later messages of the same key."""

    def __init__(self, broker: FakeBroker, refuse: set[str]) -> None:
        super().__init__(broker, set(), lambda: None)
        self.refuse = refuse

    def error_for(self, number: int, stream: str, event_id: str) -> int | None:
        return int(KafkaError.MSG_SIZE_TOO_LARGE) if event_id in self.refuse else None


@settings(max_examples=60, deadline=None)
@given(streams=st.integers(1, 4), commits=st.integers(1, 5), batch=st.integers(1, 7),
       poison=st.sets(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=3),
       by_size=st.booleans())
def test_a_refused_commit_is_parked_and_holds_back_only_its_stream_until_released(
        streams, commits, batch, poison, by_size):
    """Whether the relay sees the event is too large or the broker refuses it: the commit is
    parked with its reason, no later commit of its stream is marked (each stream's marked
    commits are a prefix), every other stream is published whole; once released and the
    cause fixed, everything is published and each stream's first copies arrive in order."""
    store = InMemoryEventStore(SERVICE)
    bad: set[str] = set()
    for v in range(commits):
        for s in range(streams):
            size = 3000 if (s, v) in poison else 10
            env = store.append(f"s-{s}", v, [NewEvent("ThingHappened", {"n": v,
                                                                        "pad": "x" * size})],
                               CommitMeta())[0]
            if (s, v) in poison:
                bad.add(env.id)
    broker = FakeBroker()
    limit = 2000 if by_size else 10**6
    relay = Relay(store, "t", lambda: RefusingProducer(broker, set() if by_size else bad),
                  batch=batch, max_message=limit)
    relay.drain()
    parked = {p["_id"] for p in store.parked()}
    poisoned = {f"s-{s}@{v + 1}" for s, v in poison if s < streams and v < commits}
    first_bad = {s: min(v for ps, v in poison if ps == s and v < commits)
                 for s in range(streams) if any(ps == s and v < commits for ps, v in poison)}
    assert parked == {f"s-{s}@{v + 1}" for s, v in first_bad.items()}
    assert parked <= poisoned
    for s in range(streams):
        marked = [d["published"] for d in store._streams[f"s-{s}"]]
        cut = first_bad.get(s, commits)
        assert marked == [True] * cut + [False] * (commits - cut), (s, marked)
    # the operator fixes the cause (a larger limit) and releases what is parked
    relay.max_message, relay._factory = 10**6, lambda: RefusingProducer(broker, set())
    relay._producer = None
    while store.parked():
        for p in store.parked():
            store.release(p["_id"])
        relay.drain()
    assert not store.unpublished()
    version = {e.id: e.stream_version for d in store._commits.values() for e in d["envelopes"]}
    first = _first_copies(broker, version)
    assert {e for _, e in broker.acked} == set(version)  # nothing lost
    if by_size:  # seen before sending: nothing of the stream after it went out
        assert all(vs == list(range(1, commits + 1)) for vs in first.values())
    # a refusal the broker reports after the flush may follow later messages of that
    # stream in the same batch: they are not marked and go again after the release, and
    # the read side holds any version that arrives after a gap (shared/readside/apply.py)


def test_an_event_over_the_size_limit_is_refused_before_anything_is_stored(monkeypatch):
    """At the limit an event is stored; one byte more and the append stores nothing (413)."""
    import pytest

    from shared import eventstore

    store = InMemoryEventStore(SERVICE)
    probe = eventstore.build_envelopes(SERVICE, "s", 1, [NewEvent(
        "ThingHappened", {"n": 1, "pad": "x" * 500})], CommitMeta(), store.clock, 1)[0]
    monkeypatch.setattr(eventstore, "MAX_EVENT_BYTES", len(probe.value()))
    store.append("s", 0, [NewEvent("ThingHappened", {"n": 0, "pad": "x" * 10})], CommitMeta())
    with pytest.raises(eventstore.EventTooLarge) as refused:
        store.append("s", 1, [NewEvent("ThingHappened", {"n": 1, "pad": "x" * 501})],
                     CommitMeta())
    assert refused.value.status == 413 and store.load("s").version == 1
    store.append("s", 1, [NewEvent("ThingHappened", {"n": 1, "pad": "x" * 500})], CommitMeta())
    assert store.load("s").version == 2


class CountingStore(InMemoryEventStore):
    """Counts the relay's reads, and lets a commit turn up at a given read."""

    def __init__(self, commit_at: int | None = None) -> None:
        super().__init__(SERVICE)
        self.reads, self.commit_at = 0, commit_at

    def unpublished(self, limit: int = 500):  # type: ignore[no-untyped-def]
        self.reads += 1
        if self.reads == self.commit_at:
            self.append("s-late", 0, [NewEvent("ThingHappened", {"n": 0})], CommitMeta())
        return super().unpublished(limit)


def _relay_for(store: InMemoryEventStore, seconds: float, **pauses: float) -> FakeBroker:
    import threading

    broker = FakeBroker()
    relay = Relay(store, "t", lambda: FakeProducer(broker, set(), lambda: None), batch=10)
    relay._check_broker = False  # no broker to ask here
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    relay.run_forever(stop, **pauses)
    timer.join()
    return broker


def test_an_idle_relay_backs_off_to_a_few_reads_a_second():
    store = CountingStore()
    _relay_for(store, 1.0, idle_sleep=0.02, idle_max=0.2)
    # 0.02 + 0.04 + 0.08 + 0.16 then 0.2 each: about 8 reads in a second, not fifty
    assert 5 <= store.reads <= 10, store.reads


def test_a_relay_that_finds_work_after_backing_off_publishes_it():
    store = CountingStore(commit_at=6)  # after the pause has reached its most
    broker = _relay_for(store, 1.5, idle_sleep=0.02, idle_max=0.2)
    assert [stream for stream, _ in broker.acked] == ["s-late"]  # read within 0.2 s
    assert store.unpublished() == []


@given(st.integers(min_value=0, max_value=5000))
def test_the_linger_setting_is_read_in_milliseconds_within_its_range(ms):
    assert linger_from_env({LINGER_ENV: str(ms)}) == ms / 1000
    assert linger_from_env({}) == LINGER == linger_from_env({LINGER_ENV: " "})


def test_a_linger_setting_out_of_range_or_not_a_number_names_the_variable():
    for raw in ("-1", "5001", "abc", "nan"):
        with pytest.raises(ValueError, match=LINGER_ENV):
            linger_from_env({LINGER_ENV: raw})
