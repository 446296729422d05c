"""The scale bench's bulk history is what the registry itself would have stored."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from registry.app.common import AGGREGATE, stream_id
from registry.domain.model import EnterpriseRecord
from registry.domain.registration import RegisterEnterprise, decide_register

from shared.commands import to_new_event
from shared.eventstore import CommitMeta, InMemoryEventStore
from tests.bench.scale import changes, registration, uscc

META = CommitMeta("scale-history-test", "market_supervision", "test")


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 9_999_999), count=st.integers(0, 12))
def test_history_is_a_chain_of_changed_registrations_after_the_first_push(n, count):
    """Versions 2.. follow one another on the institution's stream, one changed registration
    per commit, each a new address; the store takes them after the first push (the
    registry's own decision) and the stream folds to the last address."""
    history = changes(n, count)
    assert [(s, v) for s, v, _ in history] == [(stream_id(uscc(n)), v)
                                               for v in range(1, count + 1)]
    assert all([e.name for e in events] == ["EnterpriseRegistrationChanged"]
               for _, _, events in history)
    store = InMemoryEventStore("registry")
    record = EnterpriseRecord.from_data(registration(n))
    pushed = decide_register(AGGREGATE.initial(), RegisterEnterprise(record, date.today()))
    store.append(stream_id(uscc(n)), 0, [to_new_event(e) for e in pushed], META)
    assert store.append_many(history, META) == count
    stream = store.load(stream_id(uscc(n)))
    assert stream.version == count + 1
    state = AGGREGATE.fold(AGGREGATE.initial(), stream.events)
    addresses = {e.data["record"]["address"] for e in stream.events}
    assert len(addresses) == count + 1  # every push a new address
    assert state.registration.record.address == (
        history[-1][2][0].data["record"]["address"] if count else record.address)
