"""The market-supervision batch push over HTTP on a real MongoDB."""

from __future__ import annotations

import threading

from tests.integration.registry.conftest import Caller, stored
from tests.unit.registry.builders import make_uscc, record_json

BATCH = "/api/v1/enterprise-registrations/batch"

PUSH = "registrations:push"  # the push client's scope


def push(call, *records, headers=None):
    return call("POST", BATCH, "market_supervision", scope=PUSH,
                json={"records": list(records)},
                headers=headers or {})


def test_batch_reports_created_unchanged_changed_and_rejected_per_record(call, store):
    push(call, record_json(1), record_json(2))
    resp = push(call, record_json(1), record_json(2, status="revoked"),
                record_json(3, district_code="x"), record_json(4))
    body = resp.get_json()
    assert resp.status_code == 200
    assert [(r["index"], r["outcome"], r["version"]) for r in body["results"]] == [
        (0, "unchanged", 1), (1, "changed", 2), (2, "rejected", None), (3, "created", 1)]
    assert body["results"][2]["errors"] == {"district_code": ["须为 6 位数字的行政区划代码"]}
    assert body["summary"] == {"created": 1, "changed": 1, "unchanged": 1, "rejected": 1,
                               "conflict": 0}
    assert [name for _, name in stored(store)] == [
        "EnterpriseRegistrationReceived", "EnterpriseRegistrationReceived",
        "EnterpriseRegistrationChanged", "EnterpriseRegistrationReceived"]


def test_a_full_batch_of_1000_records_is_accepted(call, store):
    resp = push(call, *[record_json(n) for n in range(1000)])
    assert resp.get_json()["summary"]["created"] == 1000


def test_uscc_is_stored_in_canonical_upper_case(call, store):
    uscc = make_uscc(5)
    resp = push(call, record_json(5, uscc=uscc.lower()))
    assert resp.get_json()["results"][0]["uscc"] == uscc
    assert stored(store) == [(f"institution-{uscc}", "EnterpriseRegistrationReceived")]


def test_idempotency_key_replay_returns_the_first_result(call, store):
    key = {"Idempotency-Key": "push-2026-11-23-001"}
    first = push(call, record_json(1), headers=key)
    again = push(call, record_json(1), headers=key)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert again.get_json()["results"][0]["outcome"] == "created"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(stored(store)) == 1


def test_idempotency_key_reused_with_another_body_is_rejected(call, store):
    key = {"Idempotency-Key": "push-k"}
    push(call, record_json(1), headers=key)
    resp = push(call, record_json(2), headers=key)
    assert resp.status_code == 422 and "Idempotency-Key" in resp.get_json()["errors"]
    assert len(stored(store)) == 1


def test_concurrent_pushes_of_one_uscc_never_lose_or_interleave_writes(app, settings, store):
    results, barrier = [], threading.Barrier(4)

    def worker(n: int) -> None:
        own = Caller(app.test_client())  # one client per thread
        barrier.wait()
        resp = push(own, record_json(1, name=f"重庆市并发测试养老服务有限公司{n}"))
        results.append(resp.get_json()["results"][0]["outcome"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = store.load(f"institution-{make_uscc(1)}").events
    assert results.count("created") == 1
    assert set(results) <= {"created", "changed", "conflict"}
    assert len(events) == results.count("created") + results.count("changed")
    assert [e.stream_version for e in events] == list(range(1, len(events) + 1))
