"""Penalty endpoints: validation, masking on input, publication, withdrawal, early end."""

from __future__ import annotations

from datetime import date

from tests.integration.credit.conftest import names
from tests.unit.credit.builders import china_noon, make_uscc

U = make_uscc(11)


def body(**over):
    base = {"decision_no": "渝中民罚〔2026〕11号",
            "party": {"kind": "organisation", "uscc": U, "name": "重庆幸福养老服务有限公司"},
            "violation_type": "fire_safety", "legal_basis": "《消防法》第六十条",
            "sanctions": [{"kind": "fine", "amount_fen": 5_000_000}],
            "authority": "重庆市渝中区消防救援支队", "district_code": "500103",
            "decided_on": "2026-11-20", "summary": "疏散通道堵塞"}
    return {**base, **over}


def test_bad_input_is_422_with_field_errors_and_nothing_is_stored(call, store):
    r = call("POST", "/api/v1/penalties", "civil_affairs", json=body(
        party={"kind": "organisation", "name": "x"}, sanctions=[{"kind": "fine"}],
        district_code="5001"))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert {"party", "district_code"} <= set(r.json["errors"])
    r = call("POST", "/api/v1/penalties", "civil_affairs", json=body(sanctions=[{"kind": "fine"}]))
    assert r.status_code == 422 and "sanctions.0.amount_fen" in r.json["errors"]
    assert names(store) == []


def test_recording_needs_a_department_token(call):
    assert call("POST", "/api/v1/penalties", json=body()).status_code == 401
    r = call("POST", "/api/v1/penalties", "admin", json=body())  # admin manages nothing here
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert call("POST", "/api/v1/penalties", "fire_rescue", json=body()).status_code == 201


def test_a_penalty_is_recorded_once_published_and_withdrawn(call, store, clock):
    r = call("POST", "/api/v1/penalties", "fire_rescue", json=body(),
             headers={"Idempotency-Key": "k1"})
    assert r.status_code == 201
    pid = r.json["penalty_id"]
    assert r.json["decided"]["publish_due_by"] == "2026-12-18"
    again = call("POST", "/api/v1/penalties", "fire_rescue", json=body(),
                 headers={"Idempotency-Key": "k1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert call("POST", "/api/v1/penalties", "fire_rescue", json=body()).status_code == 200
    other = call("POST", "/api/v1/penalties", "fire_rescue", json=body(summary="变了"))
    assert other.status_code == 409
    pub = call("POST", f"/api/v1/penalties/{pid}/publication", "fire_rescue")
    assert pub.json["on_display"] is True and pub.json["display_until"] == "2029-11-23"
    clock.set(china_noon(date(2026, 11, 24)))
    w = call("POST", f"/api/v1/penalties/{pid}/withdrawal", "fire_rescue",
             json={"change": "revoked", "reason": "复议撤销", "revoked_on": "2026-11-24"})
    assert w.json["on_display"] is False and w.json["withdrawn_on"] == "2026-11-24"
    assert names(store) == ["PenaltyDecided", "PenaltyPublished", "PenaltyWithdrawn"]


def test_a_natural_person_is_stored_only_masked(call, store):
    person = {"kind": "person", "name": "李小红", "id_number": "500103199001011234"}
    r = call("POST", "/api/v1/penalties", "civil_affairs", json=body(party=person))
    assert r.status_code == 201
    party = r.json["decided"]["party"]
    assert party["name"] == "李**" and party["id_masked"] == "500*************34"
    raw = str(list(store.commits.find({})))
    assert "500103199001011234" not in raw and "李小红" not in raw


def test_warnings_are_not_published_and_heavy_penalties_are_not_ended_early(call):
    warn = call("POST", "/api/v1/penalties", "civil_affairs", json=body(
        decision_no="警告1号", sanctions=[{"kind": "warning"}])).json["penalty_id"]
    r = call("POST", f"/api/v1/penalties/{warn}/publication", "civil_affairs")
    assert r.status_code == 409
    heavy = call("POST", "/api/v1/penalties", "civil_affairs", json=body(
        decision_no="重1号", sanctions=[{"kind": "suspension", "months": 3}])).json["penalty_id"]
    call("POST", f"/api/v1/penalties/{heavy}/publication", "civil_affairs")
    r = call("POST", f"/api/v1/penalties/{heavy}/early-end", "civil_affairs",
             json={"obligations_met": True, "harm_removed": True})
    assert r.status_code == 409 and "较重处罚" in r.json["detail"]
    assert call("GET", "/api/v1/penalties/nope", "health").status_code == 404
