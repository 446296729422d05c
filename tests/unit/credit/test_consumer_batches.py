"""Credit's consumers in batches: whatever the cut into batches, a source's batch stores what
its events one at a time store, and a filing of an institution without a credit file does
not read the empty file (the reason for batching); a stale "absent" (someone created the
file meanwhile) is decided again on the file as read."""

from __future__ import annotations

from credit.app.common import file_stream
from credit.consumers import registry
from credit.consumers.runner import SourceHandler
from credit.domain.credit_file import NoteFiling
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.clock import FixedClock
from shared.eventstore import InMemoryEventStore
from tests.unit.credit.builders import TODAY, china_noon, context, envelope

USCCS = ("91500103MA5U7XYK4F", "91500108MA5U7XYK4X")


def event(kind: str, uscc: str, n: int):  # type: ignore[no-untyped-def]
    if kind == "filed":
        return envelope("registry", "InstitutionFiled",
                        {"uscc": uscc, "filed_on": f"2026-11-{10 + n:02d}"})
    if kind == "suspected":
        return envelope("registry", "UnfiledOperationSuspected", {
            "uscc": uscc, "name": "x", "district_code": "500103", "received_on": "2026-10-01",
            "grace_workdays": 20, "deadline": "2026-10-30", "detected_on": "2026-11-02"})
    return envelope("registry", "EnterpriseRegistrationReceived", {"uscc": uscc})


class CountingStore(InMemoryEventStore):
    def __init__(self, clock: FixedClock) -> None:
        super().__init__("credit", clock)
        self.loads = 0

    def load(self, stream_id: str):  # type: ignore[no-untyped-def]
        self.loads += 1
        return super().load(stream_id)

    def append(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads = self.loads  # the fake's append reads the stream itself: not a command's read
        try:
            return super().append(*args, **kwargs)
        finally:
            self.loads = loads


def stored(store: InMemoryEventStore) -> dict[str, list]:
    return {u: [(e.name, e.data) for e in store.load(file_stream(u)).events] for u in USCCS}


history = st.lists(st.tuples(st.sampled_from(("filed", "suspected", "registered")),
                             st.sampled_from(USCCS), st.integers(0, 3)), max_size=14)


@settings(max_examples=150, deadline=None)
@given(steps=history, cuts=st.sets(st.integers(1, 13), max_size=4), again=st.booleans())
def test_batches_store_what_one_at_a_time_stores(steps, cuts, again) -> None:
    clock = FixedClock(china_noon(TODAY))
    envs = [event(k, u, n) for k, u, n in steps]
    if again and envs:
        envs = [*envs, *envs[: len(envs) // 2]]  # redeliveries
    single, batched = CountingStore(clock), CountingStore(clock)
    one, many = SourceHandler(context(clock, single), registry), SourceHandler(
        context(clock, batched), registry)
    for env in envs:
        one(env)
    bounds = [0, *sorted(c for c in cuts if c < len(envs)), len(envs)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        many.batch(envs[lo:hi])
    assert stored(batched) == stored(single)
    assert batched.loads <= single.loads


def test_first_filings_read_nothing_and_a_stale_absent_is_read_and_decided_again() -> None:
    clock = FixedClock(china_noon(TODAY))
    store = CountingStore(clock)
    handler = SourceHandler(context(clock, store), registry)
    handler.batch([event("filed", u, 0) for u in USCCS])
    assert store.loads == 0
    assert [n for n, _ in stored(store)[USCCS[0]]] == ["CreditFilingNoted", "CreditLevelChanged"]
    from credit.app import records

    from shared.eventstore import CommitMeta

    again = NoteFiling(uscc=USCCS[0], filed_on=TODAY, source_event_id="other")
    store.loads = 0
    handled = records.note_filing(context(clock, store), CommitMeta(), again, absent=True)
    assert handled.events == () and store.loads == 1  # conflict, read, nothing new to note
    assert len(stored(store)[USCCS[0]]) == 2
