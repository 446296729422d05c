"""A push and a filing through the registry appear on the public directory, and survive a
restart of everything (the embedded broker forgets; the event store does not)."""

from __future__ import annotations

import subprocess
import sys

import requests

from tests.e2e.conftest import (
    bearer,
    enterprise,
    filing,
    make_uscc,
    poll,
    public_record,
    push_bearer,
)

NAME = "重庆市渝中区端到端测试养老院"


def _push_and_file(stack, uscc: str, name: str) -> None:
    r = requests.post(f"{stack.urls['registry']}/api/v1/enterprise-registrations/batch",
                      json={"records": [enterprise(uscc, name)]},
                      headers=push_bearer(stack), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["outcome"] == "created"
    r = requests.post(f"{stack.urls['registry']}/api/v1/institutions/{uscc}/filing",
                      json=filing(name), headers=bearer(stack, "civil_affairs"), timeout=10)
    assert r.status_code == 201, r.text


def _filed(stack, uscc: str) -> dict | None:
    rec = public_record(stack, uscc)
    return rec if rec and rec["filing_status"] == "filed" else None


def _all_rows(stack) -> str:
    """Every institution as the public CSV (all statuses)."""
    r = requests.get(f"{stack.urls['projection']}/open-data/institutions.csv",
                     params={"status": "all"}, timeout=10)
    assert r.status_code == 200
    return r.text


def test_demo_institutions_are_on_the_public_directory(stack):
    page = requests.get(f"{stack.urls['projection']}/", timeout=5)
    assert page.status_code == 200 and "养老机构" in page.text
    data = requests.get(f"{stack.urls['projection']}/open-data/institutions.json",
                        timeout=5).json()
    assert data["total"] >= 30


def test_pushed_and_filed_institution_becomes_public_within_seconds(stack):
    uscc = make_uscc(9001)
    _push_and_file(stack, uscc, NAME)
    rec = poll(lambda: _filed(stack, uscc), timeout=10)
    assert rec["name"] == NAME
    html = requests.get(f"{stack.urls['projection']}/", params={"q": "端到端"}, timeout=5).text
    assert NAME in html


def test_bad_input_is_rejected_and_nothing_is_stored(stack):
    uscc = make_uscc(9002)
    r = requests.post(f"{stack.urls['registry']}/api/v1/institutions/{uscc}/filing",
                      json=filing("坏数据", beds=-3), headers=bearer(stack, "civil_affairs"),
                      timeout=10)
    assert r.status_code == 422 and r.headers["Content-Type"].startswith(
        "application/problem+json")
    assert "beds" in r.json()["errors"]
    reg = requests.get(f"{stack.urls['registry']}/api/v1/institutions/{uscc}",
                       headers=bearer(stack, "civil_affairs"), timeout=5)
    assert reg.status_code == 404


def test_rebuild_from_scratch_equals_live(stack):
    before = _all_rows(stack)
    subprocess.run([sys.executable, "-m", "projection.rebuild"], env=stack.env, check=True,
                   timeout=300)
    after = _all_rows(stack)
    assert after == before


def test_everything_survives_a_full_restart(stack):
    uscc = make_uscc(9003)
    _push_and_file(stack, uscc, "重庆市渝中区重启测试养老院")
    poll(lambda: _filed(stack, uscc), timeout=10)
    before = _all_rows(stack)
    stack.stop()
    stack.demo = False
    stack.start()
    after = _all_rows(stack)
    assert after == before
    uscc2 = make_uscc(9004)  # and the pipeline still flows after the broker forgot everything
    _push_and_file(stack, uscc2, "重庆市渝中区重启后新备案养老院")
    poll(lambda: _filed(stack, uscc2), timeout=30)


def test_pipeline_recovers_when_the_broker_restarts_empty_under_running_services(stack):
    if "embedded" not in stack.infra.kind:
        raise AssertionError("this failure test needs the embedded broker it can restart")
    stack.restart_broker()
    uscc = make_uscc(9005)
    _push_and_file(stack, uscc, "重庆市渝中区消息中断恢复养老院")
    assert poll(lambda: _filed(stack, uscc), timeout=90)
    assert "重庆市渝中区重启测试养老院" in _all_rows(stack)  # earlier data still public


def test_relay_and_consumer_expose_positions_for_lag(stack):
    relay = requests.get(f"{stack.urls['registry-relay-metrics']}/metrics", timeout=5).text
    consumer = requests.get(f"{stack.urls['projection-consumer-metrics']}/metrics",
                            timeout=5).text
    assert "relay_published_position" in relay and "events_published_total" in relay
    assert "consumer_applied_position" in consumer and "events_applied_total" in consumer
