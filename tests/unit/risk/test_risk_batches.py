"""The risk consumer's batches: whatever the cut into batches, on_batch stores exactly what
on_event stores one event at a time, and an event that only closes signals of an institution
without a risk stream is not even loaded (the reason for batching)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from risk.app.common import RISK, Deps, on_batch, on_event, stream
from risk.domain.rules import Rules

from shared.clock import FixedClock
from shared.commands import load_state
from shared.envelope import Envelope, ce_type, new_event_id
from shared.eventstore import CommitMeta, InMemoryEventStore

USCCS = ("91500103MA5U7XYK4F", "91500108MA5U7XYK4X", "91500112MA60Q2XB9A")
AT = datetime(2026, 11, 20, 2, tzinfo=UTC)


def _env(service: str, name: str, data: dict) -> Envelope:
    return Envelope(id=new_event_id(), source=f"/eldercare/{service}",
                    type=ce_type(service, name), subject="s", time=AT, data=data,
                    stream_version=1, command_id="c", actor_dept="system", actor="t")


def event(kind: str, n: int, uscc: str) -> Envelope:
    day = "2026-11-20"
    if kind == "suspected":
        return _env("registry", "UnfiledOperationSuspected", {"uscc": uscc, "detected_on": day})
    if kind == "filed":
        return _env("registry", "InstitutionFiled", {"uscc": uscc, "filed_on": day})
    if kind == "shortfall":
        return _env("escrow", "EscrowShortfallDetected", {
            "institution_uscc": uscc, "shortfall_id": f"S{n}", "detected_on": day})
    if kind == "settled":
        return _env("escrow", "EscrowShortfallResolved", {
            "institution_uscc": uscc, "shortfall_id": f"S{n}", "resolved_on": day})
    return _env("escrow", "ContractEnded", {"institution_uscc": uscc, "contract_id": f"C{n}",
                                             "ended_on": day})


events = st.lists(st.builds(event, st.sampled_from(("suspected", "filed", "shortfall",
                                                     "settled", "ended")),
                            st.integers(0, 2), st.sampled_from(USCCS)), max_size=25)


class CountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__("risk")
        self.loads = 0

    def load(self, stream_id: str):  # type: ignore[no-untyped-def]
        self.loads += 1
        return super().load(stream_id)


def stored(store: InMemoryEventStore) -> dict[str, list]:
    out = {}
    for uscc in USCCS:
        s = store.load(stream(uscc))
        out[uscc] = [(e.name, {k: v for k, v in e.data.items()
                               if k not in ("alert_id", "source_event_id")}) for e in s.events]
    return out


@settings(max_examples=200, deadline=None)
@given(history=events, cuts=st.sets(st.integers(1, 24), max_size=5))
def test_batches_store_what_one_at_a_time_stores(history, cuts) -> None:
    clock = FixedClock(AT)
    single, batched = CountingStore(), CountingStore()
    one, many = Deps(single, clock, Rules()), Deps(batched, clock, Rules())
    for env in history:
        on_event(one, env, CommitMeta())
    bounds = [0, *sorted(c for c in cuts if c < len(history)), len(history)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        on_batch(many, history[lo:hi], CommitMeta)
    assert stored(batched) == stored(single)
    for uscc in USCCS:
        a, _, _ = load_state(single, RISK, stream(uscc))
        b, _, _ = load_state(batched, RISK, stream(uscc))
        assert (a.open, a.risk_class, a.alert is None) == (b.open, b.risk_class,
                                                           b.alert is None)
    assert batched.loads <= single.loads


def test_a_filing_of_an_institution_never_flagged_is_not_even_loaded() -> None:
    store = CountingStore()
    d = Deps(store, FixedClock(AT), Rules())
    on_batch(d, [event("filed", 0, u) for u in USCCS], CommitMeta)
    assert store.loads == 0 and stored(store) == {u: [] for u in USCCS}
    on_batch(d, [event("suspected", 0, USCCS[0]), event("filed", 0, USCCS[0])], CommitMeta)
    state, _, _ = load_state(store, RISK, stream(USCCS[0]))
    assert state.open == frozenset()  # opened then closed within one batch
    names = [e.name for e in store.load(stream(USCCS[0])).events]
    assert names.count("RiskSignalRecorded") == 2  # the close counted: the stream was new
