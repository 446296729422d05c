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


def test_existing_names_exactly_the_streams_with_events_whatever_their_number(store):
    """Asked for few or many streams (some never written, some with several commits, some
    asked twice), ``existing`` answers exactly those with an event, on both adapters."""
    for n in range(30):
        if n % 3:
            store.append(f"e-{n}", 0, [thing(n)], META)
        if n % 3 and n % 5 == 1:
            store.append(f"e-{n}", 1, [thing(n)], META)
    written = {f"e-{n}" for n in range(30) if n % 3}
    for asked in ([], ["e-1"], ["e-0"], ["e-1", "e-1", "e-3", "e-4"],
                  [f"e-{n}" for n in range(40)]):
        assert store.existing(asked) == written & set(asked)


def test_find_in_gives_what_an_in_gives_for_few_and_many_values(mongo_client, unique):
    """``find_in`` (equality queries for a few values, one $in for more) matches exactly the
    documents an ``$in`` matches, each once, on _id and on any other field."""
    from shared.mongo import EACH_UP_TO, find_in

    coll = mongo_client[f"fi_{unique}"]["docs"]
    coll.insert_many([{"_id": f"d{n}", "k": f"k{n % 7}"} for n in range(40)])
    try:
        for field, values in (("k", []), ("k", ["k1"]), ("k", ["k1", "k1", "k9"]),
                              ("k", [f"k{n}" for n in range(EACH_UP_TO + 3)]),
                              ("_id", ["d1", "d2", "x"]),
                              ("_id", [f"d{n}" for n in range(EACH_UP_TO + 5)])):
            got = sorted(d["_id"] for d in find_in(coll, field, values))
            assert got == sorted(d["_id"] for d in coll.find({field: {"$in": values}}))
            assert len(got) == len(set(got))
    finally:
        mongo_client.drop_database(f"fi_{unique}")


def test_append_many_stores_commits_in_order_and_stops_at_a_taken_version(store):
    """A bulk import: every commit loads back at its version, the relay sees them in the
    order given, and a version already taken stops it there (those before it stored)."""
    store.append("m-0", 0, [thing(0)], META)
    assert store.append_many([("m-1", 0, [thing(1), thing(2)]), ("m-0", 1, [thing(3)]),
                              ("m-2", 0, [])], META) == 3
    assert [e.data["n"] for e in store.load("m-0").events] == [0, 3]
    assert store.load("m-1").version == 2 and store.existing(["m-2"]) == set()
    order = [c.commit_id for c in store.unpublished()]
    assert order == ["m-0@1", "m-1@1", "m-0@2"]
    with pytest.raises(ConcurrencyConflict):
        store.append_many([("m-3", 0, [thing(4)]), ("m-0", 1, [thing(5)]),
                           ("m-4", 0, [thing(6)])], META)
    assert store.load("m-3").version == 1
    assert store.load("m-0").version == 2 and store.load("m-4").version == 0


def test_append_many_takes_new_positions_when_its_first_ones_are_taken(mongo_store,
                                                                        monkeypatch):
    """Positions come from the clock; one another writer holds already is not a conflict:
    the rest are written under new positions."""
    import shared.eventstore as es

    taken = mongo_store.append("p-0", 0, [thing(0)], META)[0].position
    monkeypatch.setattr(es, "_next_position", lambda last: taken - 1)
    assert mongo_store.append_many([("p-1", 0, [thing(1)]), ("p-2", 0, [thing(2)])],
                                   META) == 2
    positions = [mongo_store.load(s).last_position for s in ("p-0", "p-1", "p-2")]
    assert positions[1] == taken - 1 and len(set(positions)) == 3
