"""Market-supervision pushes: created, unchanged, changed; conflicts retried once."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.app.common import AGGREGATE, stream_id
from registry.app.register_enterprise import push_one, push_registrations
from registry.domain.events import EVENTS
from registry.domain.state import evolve as evolve_event
from registry.domain.state import initial

from shared.envelope import Envelope, ce_type
from shared.eventstore import InMemoryEventStore, NewEvent
from tests.unit.registry.builders import record


def push(store, clock, meta, *records):
    return push_registrations(list(enumerate(records)), store=store, clock=clock, meta=meta)


def events(store, uscc):
    return store.load(stream_id(uscc)).events


def test_first_push_stores_the_registration_with_the_china_date(store, clock, meta):
    clock.set(datetime(2026, 11, 22, 20, 0, tzinfo=UTC))  # already 11-23 in China
    [result] = push(store, clock, meta, record(1))
    [event] = events(store, record(1).uscc)
    assert (result.outcome, result.version) == ("created", 1)
    assert event.name == "EnterpriseRegistrationReceived"
    assert event.data["received_on"] == "2026-11-23"
    assert event.data["elderly_care_scope"] is True


def test_identical_repush_is_unchanged_and_stores_nothing(store, clock, meta):
    push(store, clock, meta, record(1))
    [result] = push(store, clock, meta, record(1))
    assert (result.outcome, result.version) == ("unchanged", 1)
    assert len(events(store, record(1).uscc)) == 1


def test_changed_push_names_the_changed_fields_and_their_previous_values(store, clock, meta):
    push(store, clock, meta, record(1))
    changed = record(1, address="重庆市渝中区新地址 9 号", status="suspended")
    [result] = push(store, clock, meta, changed)
    event = events(store, changed.uscc)[-1]
    assert (result.outcome, result.version) == ("changed", 2)
    assert event.name == "EnterpriseRegistrationChanged"
    assert event.data["changed_fields"] == ["address", "status"]
    assert event.data["previous"] == {"address": record(1).address, "status": "active"}
    assert event.data["record"]["status"] == "suspended"


def test_business_scope_without_elderly_care_is_not_elderly_care(store, clock, meta):
    push(store, clock, meta, record(2, business_scope="家政服务；餐饮服务"))
    assert events(store, record(2).uscc)[0].data["elderly_care_scope"] is False


def test_each_record_of_a_batch_gets_its_own_outcome(store, clock, meta):
    push(store, clock, meta, record(1))
    results = push(store, clock, meta, record(1), record(1, name="新名称"), record(3))
    assert [(r.index, r.outcome) for r in results] == [
        (0, "unchanged"), (1, "changed"), (2, "created")]


class RacingStore(InMemoryEventStore):
    """Lets a competing writer in just before each of the first ``races`` appends."""

    def __init__(self, clock, races: int) -> None:
        super().__init__("registry", clock)
        self.races = races

    def append(self, stream_id, expected_version, events, meta, last_position=None):
        if self.races and events:
            self.races -= 1
            data = events[0].data
            theirs = {**data, "record": {**data["record"], "name": f"另一写入者{self.races}"}}
            super().append(stream_id, expected_version, [NewEvent(events[0].name, theirs)], meta)
        return super().append(stream_id, expected_version, events, meta, last_position)


def test_a_record_overtaken_by_a_concurrent_writer_is_retried_once(clock, meta):
    store = RacingStore(clock, races=1)
    result = push_one(0, record(1), store=store, clock=clock, meta=meta)
    assert (result.outcome, result.version) == ("changed", 2)
    assert store.load(stream_id(record(1).uscc)).events[-1].data["record"]["name"] == record(1).name


def test_a_record_overtaken_twice_is_reported_as_a_conflict(clock, meta):
    store = RacingStore(clock, races=2)
    result = push_one(0, record(1, name="甲"), store=store, clock=clock, meta=meta)
    assert (result.outcome, result.version) == ("conflict", None)


def evolve(state, name, data):
    """Fold one event given as stored (name and v1 data)."""
    return evolve_event(state, EVENTS.decode(name, 1, data))


def test_scope_since_is_kept_across_changes_and_reset_when_scope_is_dropped():
    rec = record(1)
    base = {"uscc": rec.uscc, "elderly_care_scope": True, "record": rec.to_data()}
    state = evolve(initial(), "EnterpriseRegistrationReceived",
                   {**base, "received_on": "2026-10-01"})
    changed = {**base, "changed_fields": [], "previous": {}}
    state = evolve(state, "EnterpriseRegistrationChanged", {**changed, "received_on": "2026-11-01"})
    assert str(state.registration.scope_since) == "2026-10-01"
    dropped = {**changed, "elderly_care_scope": False, "received_on": "2026-11-02"}
    state = evolve(state, "EnterpriseRegistrationChanged", dropped)
    assert state.registration.scope_since is None
    assert str(state.registration.first_received_on) == "2026-10-01"


def test_unknown_event_names_leave_the_state_unchanged():
    assert EVENTS.decode("SomethingNewer", 1, {"x": 1}) is None
    newer = Envelope("e1", "/eldercare/registry", ce_type("registry", "SomethingNewer"),
                     stream_id("x"), datetime.now(UTC), {"x": 1}, 1)
    assert AGGREGATE.fold(initial(), [newer]) == initial()
