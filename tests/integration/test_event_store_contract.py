"""One suite for the EventStore port, run against every adapter (fake and real server)."""

from __future__ import annotations

import pytest

from shared.contracts import ContractViolation
from shared.eventstore import CommitMeta, ConcurrencyConflict, InMemoryEventStore, NewEvent

META = CommitMeta("cmd-1", "civil_affairs", "tester")


def thing(n: int) -> NewEvent:
    return NewEvent("ThingHappened", {"n": n})


@pytest.fixture(params=["memory", "mongo"])
def store(request):
    if request.param == "memory":
        return InMemoryEventStore("kerneltest")
    return request.getfixturevalue("mongo_store")


def test_appended_events_load_back_in_order_with_versions(store):
    store.append("s-1", 0, [thing(1), thing(2)], META)
    store.append("s-1", 2, [thing(3)], META)
    stream = store.load("s-1")
    assert [e.data["n"] for e in stream.events] == [1, 2, 3]
    assert [e.stream_version for e in stream.events] == [1, 2, 3]
    assert stream.version == 3
    assert stream.events[0].type == "eldercare.kerneltest.ThingHappened.v1"
    assert stream.events[0].command_id == "cmd-1"


def test_stale_expected_version_conflicts_and_stores_nothing(store):
    store.append("s-2", 0, [thing(1), thing(2)], META)
    with pytest.raises(ConcurrencyConflict):
        store.append("s-2", 0, [thing(9)], META)
    assert [e.data["n"] for e in store.load("s-2").events] == [1, 2]


def test_event_violating_its_schema_is_never_stored(store):
    with pytest.raises(ContractViolation):
        store.append("s-3", 0, [thing(1), NewEvent("ThingHappened", {"n": "x"})], META)
    assert store.load("s-3").version == 0


def test_unpublished_follows_position_until_marked(store):
    store.append("a", 0, [thing(1)], META)
    store.append("b", 0, [thing(2)], META)
    pending = store.unpublished()
    assert [c.stream_id for c in pending] == ["a", "b"]
    store.mark_published([pending[0].commit_id])
    assert [c.stream_id for c in store.unpublished()] == ["b"]
    assert store.mark_all_unpublished() == 1
    assert len(store.unpublished()) == 2


def test_streams_with_finds_streams_by_event_name(store):
    store.append("x-1", 0, [thing(1)], META)
    assert store.streams_with("ThingHappened") == ["x-1"]
    assert store.streams_with("Other") == []
