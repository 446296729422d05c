"""The one command runner (shared.commands.run): fold typed events, decide, append with
optimistic concurrency, retry an overtaken command, upcast old versions on read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.clock import FixedClock
from shared.commands import Aggregate, load_state, run
from shared.domain import Event, EventCatalog
from shared.envelope import Envelope, ce_type
from shared.eventstore import CommitMeta, ConcurrencyConflict, InMemoryEventStore, NewEvent

META = CommitMeta("cmd-1", "civil_affairs", "tester")


@dataclass(frozen=True)
class ThingHappened(Event):
    """tests/fixtures/contracts/events/kerneltest/ThingHappened.v1.json"""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"writer"})

    n: int
    writer: str | None = None


def total(state: int, event: Event) -> int:
    return state + event.n if isinstance(event, ThingHappened) else state


COUNTER = Aggregate(lambda: 0, total, EventCatalog(ThingHappened))


def store() -> InMemoryEventStore:
    return InMemoryEventStore("kerneltest", FixedClock(datetime(2026, 11, 23, tzinfo=UTC)))


class Overtaken(InMemoryEventStore):
    """Another writer appends just before each of our first ``races`` appends."""

    def __init__(self, races: int) -> None:
        super().__init__("kerneltest", FixedClock(datetime(2026, 11, 23, tzinfo=UTC)))
        self.races = races

    def append(self, stream_id, expected_version, events, meta, last_position=None):
        if self.races and events and events[0].data.get("writer") == "us":
            self.races -= 1
            super().append(stream_id, expected_version, [NewEvent("ThingHappened", {"n": 100})],
                           meta)
        return super().append(stream_id, expected_version, events, meta, last_position)


@given(st.lists(st.integers(-5, 5), max_size=8))
def test_state_is_the_fold_of_what_was_stored(ns):
    s = store()
    for n in ns:
        handled = run(s, COUNTER, "c-1", lambda _s, n=n: [ThingHappened(n)], META, "kerneltest")
        assert handled.state == load_state(s, COUNTER, "c-1")[0]
    assert load_state(s, COUNTER, "c-1")[:2] == (sum(ns), len(ns))
    assert [e.data for e in s.load("c-1").events] == [{"n": n} for n in ns]


def test_no_decision_stores_nothing():
    s = store()
    handled = run(s, COUNTER, "c-1", lambda _s: [], META, "kerneltest")
    assert (handled.version, handled.events, s.load("c-1").version) == (0, (), 0)


def test_an_overtaken_command_is_decided_again_on_the_new_state_when_retries_allow():
    s, seen = Overtaken(races=2), []

    def decide(state: int) -> list[ThingHappened]:
        seen.append(state)
        return [ThingHappened(1, "us")]

    handled = run(s, COUNTER, "c-1", decide, META, "kerneltest", retries=2)
    assert seen == [0, 100, 200] and handled.state == 201 and handled.version == 3


def test_without_retries_or_with_an_expected_version_the_conflict_is_the_callers():
    with pytest.raises(ConcurrencyConflict):
        run(Overtaken(races=1), COUNTER, "c-1", lambda _s: [ThingHappened(1, "us")], META,
            "kerneltest")
    with pytest.raises(ConcurrencyConflict):
        run(Overtaken(races=1), COUNTER, "c-1", lambda _s: [ThingHappened(1, "us")], META,
            "kerneltest", expected_version=0, retries=5)


def test_old_versions_are_upcast_on_read_and_unknown_types_ignored():
    @dataclass(frozen=True)
    class Grown(Event, version=3):
        size: int
        unit: str

    catalog = EventCatalog(Grown, upcasters={
        ("Grown", 1): lambda d: {"size": d["cm"]},
        ("Grown", 2): lambda d: {**d, "unit": "cm"},
    })
    agg = Aggregate(lambda: [], lambda s, e: [*s, e], catalog)

    def stored(name: str, version: int, data: dict) -> Envelope:
        return Envelope("e", "/eldercare/kerneltest", ce_type("kerneltest", name, version),
                        "g-1", datetime(2026, 11, 23, tzinfo=UTC), data, 1)

    folded = agg.fold([], [stored("Grown", 1, {"cm": 3}), stored("Other", 1, {}),
                           stored("Grown", 3, {"size": 4, "unit": "mm"})])
    assert folded == [Grown(3, "cm"), Grown(4, "mm")]
    with pytest.raises(ValueError, match="newer"):
        agg.fold([], [stored("Grown", 4, {})])
    with pytest.raises(ValueError, match="no later version"):
        EventCatalog(Grown, upcasters={("Grown", 3): lambda d: d})


def test_an_event_the_aggregate_cannot_read_back_is_never_stored():
    @dataclass(frozen=True)
    class Stray(Event, name="ThingHappened"):
        n: int

    s = store()
    with pytest.raises(TypeError, match="catalog"):
        run(s, COUNTER, "c-1", lambda _s: [Stray(1)], META, "kerneltest")
    assert s.load("c-1").version == 0
