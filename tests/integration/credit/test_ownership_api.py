"""Issue 9 items 2 and 3 over HTTP: only the deciding department (within its district) acts on
a penalty; the minimum periods; a wrong listing is corrected by its own department."""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.credit.conftest import names
from tests.integration.credit.test_dishonesty_api import BASE, propose
from tests.integration.credit.test_penalty_api import body
from tests.signer import mint
from tests.unit.credit.builders import china_noon

WITHDRAW = {"change": "revoked", "reason": "复议撤销", "revoked_on": "2026-11-23"}


def as_region(settings, role: str, region: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint('scoped', role, region=region)}"}


def recorded(call) -> str:
    r = call("POST", "/api/v1/penalties", "fire_rescue", json=body())
    assert r.status_code == 201, r.json
    assert r.json["decided"]["department"] == "fire_rescue"
    return r.json["penalty_id"]


def test_a_finance_token_cannot_withdraw_a_fire_rescue_penalty(call, store):
    """The observed bug: finance withdrew a 消防救援支队 penalty (200). Now 403, nothing stored."""
    pid = recorded(call)
    assert call("POST", f"/api/v1/penalties/{pid}/publication", "fire_rescue").status_code == 200
    for role in ("finance", "civil_affairs", "admin"):
        r = call("POST", f"/api/v1/penalties/{pid}/withdrawal", role, json=WITHDRAW)
        assert r.status_code == 403 and r.mimetype == "application/problem+json", role
        assert call("POST", f"/api/v1/penalties/{pid}/publication", role).status_code == 403
        assert call("POST", f"/api/v1/penalties/{pid}/early-end", role, json={
            "obligations_met": True, "harm_removed": True}).status_code == 403
    assert names(store) == ["PenaltyDecided", "PenaltyPublished"]
    ok = call("POST", f"/api/v1/penalties/{pid}/withdrawal", "fire_rescue", json=WITHDRAW)
    assert ok.status_code == 200 and ok.json["on_display"] is False


def test_the_department_comes_from_the_token_never_the_body(call, store):
    r = call("POST", "/api/v1/penalties", "fire_rescue", json=body(department="civil_affairs"))
    assert r.status_code == 422 and "department" in r.json["errors"]
    assert names(store) == []


@pytest.mark.parametrize(("region", "status"), [
    ("500103", 201), ("5001", 201), ("500100", 201), ("50", 201),
    ("500104", 403), ("5002", 403), ("51", 403)])
def test_a_scoped_token_records_and_acts_only_within_its_district(call, settings, region, status):
    r = call("POST", "/api/v1/penalties", headers=as_region(settings, "fire_rescue", region),
             json=body())
    assert r.status_code == status
    if status == 403:
        pid = recorded(call)  # an unscoped token of the same department (accounts come later)
        r = call("POST", f"/api/v1/penalties/{pid}/publication",
                 headers=as_region(settings, "fire_rescue", region))
        assert r.status_code == 403 and "辖区" in r.json["detail"]


def test_a_malformed_region_claim_is_401(call, settings):
    from tests.signer import SIGNER

    token = SIGNER.sign({**SIGNER.claims("x", "fire_rescue"), "regions": ["5001x"]})
    r = call("POST", "/api/v1/penalties", headers={"Authorization": f"Bearer {token}"},
             json=body())
    assert r.status_code == 401


def test_early_end_waits_for_the_minimum_display_period(call, clock):
    pid = recorded(call)
    call("POST", f"/api/v1/penalties/{pid}/publication", "fire_rescue")
    attest = {"obligations_met": True, "harm_removed": True}
    clock.set(china_noon(date(2027, 11, 22)))
    r = call("POST", f"/api/v1/penalties/{pid}/early-end", "fire_rescue", json=attest)
    assert r.status_code == 409 and "2027-11-23" in r.json["detail"]
    clock.set(china_noon(date(2027, 11, 23)))
    r = call("POST", f"/api/v1/penalties/{pid}/early-end", "fire_rescue", json=attest)
    assert r.status_code == 200 and r.json["ended_early_on"] == "2027-11-23"


def listed(call):
    assert propose(call).status_code == 201
    r = call("POST", f"{BASE}/decision", "civil_affairs",
             json={"approve": True, "decision_no": "渝民信〔2026〕1号"})
    assert r.status_code == 200


def test_credit_repair_before_two_years_is_409_and_a_wrong_listing_is_corrected(call, store):
    listed(call)
    r = call("POST", f"{BASE}/repair", "civil_affairs",
             json={"approved": True, "decision_no": "修〔2026〕1号", "reason": "已整改"})
    assert r.status_code == 409 and "2028-11-23" in r.json["detail"]
    assert call("POST", f"{BASE}/decision", "admin",
                json={"approve": True, "decision_no": "x"}).status_code == 403
    for role in ("fire_rescue", "admin"):
        r = call("POST", f"{BASE}/correction", role,
                 json={"decision_no": "更〔2026〕1号", "reason": "认定事实有误"})
        assert r.status_code == 403
    r = call("POST", f"{BASE}/correction", "civil_affairs", json={"decision_no": "更〔2026〕1号"})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    ok = call("POST", f"{BASE}/correction", "civil_affairs",
              json={"decision_no": "更〔2026〕1号", "reason": "认定事实有误"})
    assert ok.status_code == 200 and ok.json["listing"]["status"] == "corrected"
    assert all(m["lifted_on"] for m in ok.json["listing"]["measures"])
    again = call("POST", f"{BASE}/correction", "civil_affairs",
                 json={"decision_no": "更〔2026〕1号", "reason": "认定事实有误"})
    assert again.status_code == 200 and again.json["version"] == ok.json["version"]
    stored = names(store)
    assert "ListingCorrected" in stored and "SeriousDishonestyDelisted" not in stored
