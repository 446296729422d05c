"""Filing, change, cancellation, state and the unfiled check over HTTP on a real MongoDB."""

from __future__ import annotations

from datetime import date

from tests.integration.registry.conftest import stored
from tests.unit.registry.builders import china_noon, filing_json, make_uscc, record_json

USCC = make_uscc(1)
INSTITUTION = f"/api/v1/institutions/{USCC}"
FILING = f"{INSTITUTION}/filing"
CANCEL = f"{FILING}/cancellation"

PUSH = "registrations:push"  # the push client's scope


def file(call, headers=None, **changes):
    return call("POST", FILING, "civil_affairs", json=filing_json(**changes),
                headers=headers or {})


def test_filing_on_time_answers_201_with_receipt_deadline_and_location(call, store):
    resp = file(call)
    body = resp.get_json()
    assert resp.status_code == 201
    assert resp.headers["Location"] == INSTITUTION and resp.headers["ETag"] == '"1"'
    assert body["outcome"] == "filed" and body["version"] == 1
    assert body["filing"]["receipt_no"] == f"500103-2026-备-{USCC[8:17]}"
    assert (body["filing"]["filing_deadline"], body["filing"]["late"]) == ("2026-11-30", False)
    assert stored(store) == [(f"institution-{USCC}", "InstitutionFiled")]


def test_filing_after_the_deadline_is_recorded_as_late(call, store):
    body = file(call, first_admission_date=date(2026, 10, 19)).get_json()
    assert body["filing"]["late"] is True
    assert body["filing"]["late_by_workdays"] == 15
    assert store.load(f"institution-{USCC}").events[0].data["late"] is True


def test_small_institution_filing_is_not_required(call):
    body = file(call, beds=6, nursing_beds=0, first_admission_date=date(2025, 3, 3)).get_json()
    assert (body["filing"]["filing_required"], body["filing"]["late"]) == (False, False)


def test_refiling_identical_data_answers_200_with_the_same_receipt(call, store):
    first = file(call).get_json()
    again = file(call)
    assert again.status_code == 200
    assert again.get_json()["filing"]["receipt_no"] == first["filing"]["receipt_no"]
    assert again.get_json()["outcome"] == "unchanged"
    assert len(stored(store)) == 1


def test_refiling_different_data_is_409_use_the_change_endpoint(call, store):
    file(call)
    resp = file(call, beds=90)
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    assert "PATCH" in resp.get_json()["detail"]
    assert len(stored(store)) == 1


def test_idempotency_key_replays_the_first_201(call, store):
    key = {"Idempotency-Key": "file-1"}
    first = file(call, headers=key)
    again = file(call, headers=key)
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert again.headers["Location"] == INSTITUTION
    assert len(stored(store)) == 1


def test_change_with_matching_if_match_is_stored_and_returns_the_new_etag(call, store):
    file(call)
    resp = call("PATCH", FILING, "civil_affairs", json={"beds": 70, "nursing_beds": 40},
                headers={"If-Match": '"1"'})
    body = resp.get_json()
    assert resp.status_code == 200 and resp.headers["ETag"] == '"2"'
    assert (body["outcome"], body["changed_fields"]) == ("changed", ["beds", "nursing_beds"])
    assert body["filing"]["details"]["beds"] == 70


def test_change_with_a_stale_if_match_is_409_and_stores_nothing(call, store):
    file(call)
    call("PATCH", FILING, "civil_affairs", json={"beds": 70})
    resp = call("PATCH", FILING, "civil_affairs", json={"beds": 75}, headers={"If-Match": "1"})
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    assert resp.get_json()["current_version"] == 2
    assert store.load(f"institution-{USCC}").version == 2


def test_change_without_difference_is_200_unchanged(call, store):
    file(call)
    resp = call("PATCH", FILING, "civil_affairs", json={"beds": 60})
    assert (resp.status_code, resp.get_json()["outcome"]) == (200, "unchanged")
    assert len(stored(store)) == 1


def test_change_before_filing_is_404(call):
    resp = call("PATCH", FILING, "civil_affairs", json={"beds": 60})
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_cancellation_then_retry_then_different_reason(call, store):
    assert call("POST", CANCEL, "civil_affairs", json={"reason": "停止经营"}).status_code == 404
    file(call)
    first = call("POST", CANCEL, "civil_affairs", json={"reason": "停止经营"})
    again = call("POST", CANCEL, "civil_affairs", json={"reason": "停止经营"})
    other = call("POST", CANCEL, "civil_affairs", json={"reason": "被责令关闭"})
    assert (first.status_code, first.get_json()["outcome"]) == (200, "cancelled")
    assert (again.status_code, again.get_json()["outcome"]) == (200, "unchanged")
    assert other.status_code == 409
    state = call("GET", INSTITUTION, "fire_rescue").get_json()
    assert state["filing"]["status"] == "cancelled"
    assert state["filing"]["cancelled_on"] == "2026-11-23"
    assert [name for _, name in stored(store)] == ["InstitutionFiled", "InstitutionCancelled"]


def test_cancelled_institution_may_file_again_with_a_new_receipt(call, store):
    receipt = file(call).get_json()["filing"]["receipt_no"]
    call("POST", CANCEL, "civil_affairs", json={"reason": "停止经营"})
    resp = file(call, first_admission_date=None)
    assert resp.status_code == 201
    assert resp.get_json()["filing"]["receipt_no"] == f"{receipt}-2"


def test_state_of_an_unknown_institution_is_404(call):
    resp = call("GET", INSTITUTION, "health")
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_state_shows_the_pushed_registration_and_its_version(call):
    call("POST", "/api/v1/enterprise-registrations/batch", "market_supervision",
         scope=PUSH,
         json={"records": [record_json(1)]})
    resp = call("GET", INSTITUTION, "public_security")
    body = resp.get_json()
    assert resp.headers["ETag"] == '"1"' and body["version"] == 1
    assert body["registration"]["elderly_care_scope"] is True
    assert body["registration"]["record"]["uscc"] == USCC
    assert body["filing"] is None


def test_unfiled_check_flags_once_and_only_after_the_grace_period(call, clock, store):
    clock.set(china_noon(date(2026, 10, 12)))
    call("POST", "/api/v1/enterprise-registrations/batch", "market_supervision",
         scope=PUSH,
         json={"records": [record_json(1), record_json(2, business_scope="家政服务")]})
    clock.set(china_noon(date(2026, 11, 9)))
    assert call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()["flagged"] == []
    clock.set(china_noon(date(2026, 11, 10)))
    report = call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()
    assert report == {"as_of": "2026-11-10", "checked": 2, "flagged": [USCC]}
    assert call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()["flagged"] == []
    state = call("GET", INSTITUTION, "civil_affairs").get_json()
    assert state["unfiled_suspected_on"] == "2026-11-10"


def test_unfiled_check_flags_a_cancelled_filing_of_an_active_elderly_care_enterprise(
        call, clock, store):
    clock.set(china_noon(date(2026, 10, 12)))
    call("POST", "/api/v1/enterprise-registrations/batch", "market_supervision",
         scope=PUSH,
         json={"records": [record_json(1)]})
    file(call, first_admission_date=date(2026, 10, 12))
    clock.set(china_noon(date(2026, 11, 2)))
    assert call("POST", CANCEL, "civil_affairs", json={"reason": "停止经营"}).status_code == 200
    clock.set(china_noon(date(2026, 11, 30)))  # the 20th working day after the cancellation
    assert call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()["flagged"] == []
    clock.set(china_noon(date(2026, 12, 1)))
    assert call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()["flagged"] == [USCC]
    assert call("POST", "/api/v1/checks/unfiled", "civil_affairs").get_json()["flagged"] == []
    assert call("GET", INSTITUTION, "civil_affairs").get_json()["unfiled_suspected_on"] == \
        "2026-12-01"
    file(call, first_admission_date=date(2026, 10, 12))  # re-filed: the episode ends
    assert call("GET", INSTITUTION, "civil_affairs").get_json()["unfiled_suspected_on"] is None
    [event] = [e for e in store.load(f"institution-{USCC}").events
               if e.name == "UnfiledOperationSuspected"]
    assert (event.data["basis"], event.data["since"]) == ("filing_cancelled", "2026-11-02")
