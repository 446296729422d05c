"""Credit's consumers over real Kafka: each source's events become records exactly once."""

from __future__ import annotations

import threading
import time

import pytest
from credit.app.common import CREDIT_FILE, DISHONESTY, dishonesty_stream, file_stream, load
from credit.consumer import build
from credit.consumers import credit as own
from credit.consumers import fire_safety, registry

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC
from tests.unit.credit.builders import envelope, make_uscc, overdue_major

U = make_uscc(21)


def wait_until(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture()
def running(settings, ctx, infra, unique):
    """Start one source's consumer on a fresh topic; return a function that publishes to it."""
    started, producer = [], kafka.producer(infra.kafka)

    def start(source):
        topic = f"test.credit.{source.SOURCE}.{unique}"
        kafka.ensure_topics(infra.kafka, [topic, DEAD_LETTER_TOPIC], 3)
        consumer = build(settings, ctx, source, topics=[topic],
                         group=f"credit.test.{source.SOURCE}.{unique}", fast=True)
        stop = threading.Event()
        thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
        thread.start()
        started.append((stop, thread, consumer))

        def publish(*envs):
            for env in envs:
                producer.produce(topic, key=env.subject, value=env.value(), headers=env.headers())
            assert producer.flush(15) == 0

        return publish

    yield start
    for stop, thread, consumer in started:
        stop.set()
        thread.join(15)
        consumer.dead_letters.close()


def test_an_unfiled_operator_gets_one_record_even_when_redelivered(running, ctx):
    publish = running(registry)
    env = envelope("registry", "UnfiledOperationSuspected", {
        "uscc": U, "name": "x", "district_code": "500103", "received_on": "2026-10-01",
        "grace_workdays": 20, "deadline": "2026-10-30", "detected_on": "2026-11-02"},
        subject=f"institution-{U}")
    publish(env, env)
    state = wait_until(lambda: load(ctx, CREDIT_FILE, file_stream(U))[0].records or None)
    later = envelope("registry", "UnfiledOperationSuspected", {
        "uscc": make_uscc(22), "name": "y", "district_code": "500103",
        "received_on": "2026-10-01", "grace_workdays": 20, "deadline": "2026-10-30",
        "detected_on": "2026-11-02"}, subject=f"institution-{make_uscc(22)}")
    publish(env, later)
    wait_until(lambda: load(ctx, CREDIT_FILE, file_stream(make_uscc(22)))[1])
    assert list(load(ctx, CREDIT_FILE, file_stream(U))[0].records) == list(state)
    assert load(ctx, CREDIT_FILE, file_stream(U))[1] == 2  # record + first level


def test_an_overdue_major_hazard_proposes_listing_and_a_penalty_adds_a_record(running, ctx):
    publish_fire = running(fire_safety)
    publish_fire(envelope("fire_safety", "RectificationOverdue", overdue_major(U),
                          subject="hazard-hz-1"))
    listing = wait_until(lambda: load(ctx, DISHONESTY, dishonesty_stream(U))[0].current)
    assert listing.status == "proposed" and listing.ground == "major_fire_hazard_overdue"

    publish_own = running(own)
    from credit.app.penalties import record_penalty
    from credit.domain.penalty import Sanction

    from tests.unit.credit.builders import meta, penalty_cmd

    decided = record_penalty(ctx, meta(), penalty_cmd(U, Sanction("fine", 100)))
    publish_own(*[e for e in ctx.store.read_all() if e.name == "PenaltyDecided"])
    pid = decided.events[0].penalty_id
    file = wait_until(lambda: f"penalty:{pid}" in load(ctx, CREDIT_FILE, file_stream(U))[0]
                      .records and load(ctx, CREDIT_FILE, file_stream(U))[0])
    assert file.records[f"penalty:{pid}"].category == "penalty.fire_safety"


def filed_event(uscc: str, filed_on: str):
    """A registry InstitutionFiled as published (contracts/events/registry)."""
    return envelope("registry", "InstitutionFiled", {
        "uscc": uscc, "receipt_no": "渝中民养备〔2026〕9号", "filed_on": filed_on,
        "filing": {"name": "重庆幸福养老院", "address": "重庆市渝中区解放碑路1号",
                   "district_code": "500103", "legal_representative": "王建国",
                   "operator_type": "private_profit", "premises_ownership": "leased",
                   "beds": 60, "nursing_beds": 30, "floor_area_m2": 2400,
                   "contact_name": "李明", "contact_phone": "02363001234",
                   "first_admission_date": "2026-11-01"},
        "filing_required": True, "filing_deadline": "2026-11-14", "late": False,
        "late_by_workdays": 0, "deadline_provisional": False}, subject=f"institution-{uscc}")


def test_every_filed_institution_gets_a_level_from_its_filing_over_kafka(running, ctx):
    publish = running(registry)
    new, old = make_uscc(23), make_uscc(24)
    first = filed_event(new, "2026-11-20")
    publish(first, filed_event(old, "2024-01-05"), first)
    levels = {}
    for u in (new, old):
        state = wait_until(lambda u=u: load(ctx, CREDIT_FILE, file_stream(u))[0].level and
                           load(ctx, CREDIT_FILE, file_stream(u))[0])
        levels[u] = (state.level, state.filed_on.isoformat())
    # the neutral period runs from the event's filed_on, not from when it was processed
    assert levels == {new: ("B", "2026-11-20"), old: ("A", "2024-01-05")}
    assert load(ctx, CREDIT_FILE, file_stream(new))[1] == 2  # noted + level, once
