"""Bad input on every write endpoint: 422 problem+json with field errors, nothing stored."""

from __future__ import annotations

import pytest

from tests.integration.registry.conftest import stored
from tests.unit.registry.builders import filing_json, make_uscc, record_json

USCC = make_uscc(1)
BATCH = "/api/v1/enterprise-registrations/batch"
FILING = f"/api/v1/institutions/{USCC}/filing"
CANCEL = f"/api/v1/institutions/{USCC}/filing/cancellation"
BAD_USCC = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")

PUSH = "registrations:push"  # the push client's scope


def assert_422(resp, *fields: str) -> dict:
    assert resp.status_code == 422, resp.get_json()
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["status"] == 422 and "detail" in body
    for field in fields:
        assert field in body["errors"], body["errors"]
    return body["errors"]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "records"),
    ({"records": []}, "records"),
    ({"records": [record_json(1)] * 1001}, "records"),
    ({"records": "x"}, "records"),
    ({"records": [record_json(1)], "extra": 1}, "extra"),
])
def test_batch_with_a_bad_envelope_is_rejected_whole(call, store, body, field):
    assert_422(call("POST", BATCH, "market_supervision", scope=PUSH, json=body), field)
    assert stored(store) == []


def test_batch_whose_every_record_is_bad_is_422_keyed_by_index(call, store):
    bad_check_digit = record_json(1, uscc=BAD_USCC)
    no_name = {k: v for k, v in record_json(2).items() if k != "name"}
    bad_values = record_json(3, district_code="5001", status="closed")
    body = {"records": [bad_check_digit, no_name, bad_values, None]}
    errors = assert_422(call("POST", BATCH, "market_supervision", scope=PUSH, json=body),
                        "0", "1", "2", "3")
    assert "uscc" in errors["0"] and "name" in errors["1"]
    assert {"district_code", "status"} <= set(errors["2"])
    assert stored(store) == []


def test_a_body_that_is_not_json_is_422_not_500(call, store):
    resp = call("POST", BATCH, "market_supervision", scope=PUSH, data="{not json",
                content_type="application/json")
    assert resp.status_code in (400, 422)
    assert resp.mimetype == "application/problem+json"
    assert stored(store) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"beds": -1}, "beds"),
    ({"beds": "sixty"}, "beds"),
    ({"beds": 10.5}, "beds"),
    ({"floor_area_m2": 0}, "floor_area_m2"),
    ({"operator_type": "state"}, "operator_type"),
    ({"premises_ownership": "rented"}, "premises_ownership"),
    ({"district_code": "50A103"}, "district_code"),
    ({"contact_phone": "call me"}, "contact_phone"),
    ({"name": "   "}, "name"),
    ({"first_admission_date": "2026-13-01"}, "first_admission_date"),
    ({"first_admission_date": "2026-11-24"}, "first_admission_date"),
    ({"beds": 20, "nursing_beds": 21}, "nursing_beds"),
    ({"unexpected": 1}, "unexpected"),
])
def test_filing_with_a_bad_field_is_rejected_field_by_field(call, store, changes, field):
    resp = call("POST", FILING, "civil_affairs", json={**filing_json(), **changes})
    assert_422(resp, field)
    assert stored(store) == []


def test_filing_without_required_fields_lists_each_of_them(call, store):
    errors = assert_422(call("POST", FILING, "civil_affairs", json={"name": "某养老院"}),
                        "address", "beds", "nursing_beds", "floor_area_m2", "contact_phone")
    assert "name" not in errors and "first_admission_date" not in errors


def test_filing_under_an_invalid_uscc_is_rejected(call, store):
    url = f"/api/v1/institutions/{BAD_USCC}/filing"
    assert_422(call("POST", url, "civil_affairs", json=filing_json()), "uscc")
    assert_422(call("GET", f"/api/v1/institutions/{BAD_USCC}", "civil_affairs"), "uscc")
    assert stored(store) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"beds": "x"}, "beds"),
    ({"receipt_no": "1"}, "receipt_no"),
    ({"beds": 20}, "nursing_beds"),  # the merged filing would have 30 nursing beds of 20
    ({"first_admission_date": "2027-01-01"}, "first_admission_date"),
])
def test_change_with_bad_input_is_rejected_and_stores_nothing(call, store, changes, field):
    call("POST", FILING, "civil_affairs", json=filing_json())
    before = stored(store)
    assert_422(call("PATCH", FILING, "civil_affairs", json=changes), field)
    assert stored(store) == before


def test_change_with_a_malformed_if_match_is_rejected(call, store):
    call("POST", FILING, "civil_affairs", json=filing_json())
    resp = call("PATCH", FILING, "civil_affairs", json={"beds": 70},
                headers={"If-Match": "yesterday"})
    assert_422(resp, "If-Match")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "  "}, {"reason": 3}])
def test_cancellation_without_a_reason_is_rejected(call, store, body):
    call("POST", FILING, "civil_affairs", json=filing_json())
    before = stored(store)
    assert_422(call("POST", CANCEL, "civil_affairs", json=body), "reason")
    assert stored(store) == before
