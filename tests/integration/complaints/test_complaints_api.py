"""The complaints API end to end on MongoDB: the public form, hotline intake, handling by the
routed departments, the complainant's view, deadlines, and privacy of the complainant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from complaints import scheduler
from complaints.app import challenge

from shared import mongo
from tests.signer import mint
from tests.unit.complaints.builders import OTHER_USCC, TODAY, USCC, china_noon

PUBLIC = "/api/v1/public/complaints"
PHONE = "13912345678"
FORM = {"category": "fees_deposits", "description": "收了三万元押金不退，电话 13912345678",
        "institution_uscc": USCC, "institution_name": "渝中区测试养老院",
        "anonymous": False, "contact_name": "张某", "contact_phone": PHONE}


def solved(call) -> str:
    got = call("GET", f"{PUBLIC}/challenge", role=None)
    assert got.status_code == 200 and got.headers["Cache-Control"] == "no-store"
    return challenge.solve(got.get_json())


def file(call, form: dict | None = None, answer: str | None = None):
    body = {**(form or FORM), "altcha": answer or solved(call)}
    return call("POST", PUBLIC, role=None, json=body)


def as_official(call, method: str, url: str, department: str, region: str = "", **kw):
    token = mint(f"t-{department}-{region or 'all'}", department, region)
    return call(method, url, role=None,
                headers={"Authorization": f"Bearer {token}", **kw.pop("headers", {})}, **kw)


def test_the_public_form_answers_a_tracking_number_and_check_code_once(call) -> None:
    answer = solved(call)
    first = file(call, answer=answer)
    assert first.status_code == 201, first.get_json()
    receipt = first.get_json()
    assert receipt["complaint_id"].startswith("TS") and len(receipt["check_code"]) == 8
    assert set(receipt["departments"]) == {"civil_affairs", "market_supervision"}
    again = file(call, answer=answer)  # the browser retried: the same complaint
    assert again.status_code == 200 and again.get_json() == receipt
    other = file(call, {**FORM, "description": "另一件事"}, answer)
    assert other.status_code == 409


def test_a_bad_or_missing_challenge_is_422_and_stores_nothing(call, store) -> None:
    for answer in ("", "bm90IGpzb24=", solved(call)[:-4]):
        resp = call("POST", PUBLIC, role=None, json={**FORM, "altcha": answer})
        assert resp.status_code == 422 and "altcha" in resp.get_json()["errors"]
    assert store.streams_with("ComplaintReceived") == []


@pytest.mark.parametrize(("change", "field"), [
    ({"description": "x" * 2001}, "description"),
    ({"description": "   "}, "description"),
    ({"category": "gossip"}, "category"),
    ({"institution_uscc": "91500103MA5U7XYK4A"}, "institution_uscc"),
    ({"institution_uscc": "", "institution_name": ""}, "institution_name"),
    ({"institution_uscc": "", "district": ""}, "district"),
    ({"contact_phone": "call me"}, "contact_phone"),
    ({"contact_phone": ""}, "contact_phone"),  # named complaints leave a phone
])
def test_bad_fields_are_422_field_by_field(call, change, field) -> None:
    resp = file(call, {**FORM, **change})
    assert resp.status_code == 422 and field in resp.get_json()["errors"], resp.get_json()


def test_description_at_the_limit_is_accepted(call) -> None:
    assert file(call, {**FORM, "description": "字" * 2000}).status_code == 201


def test_no_uscc_needs_name_and_district_and_routes_by_the_district(call) -> None:
    form = {**FORM, "institution_uscc": "", "district": "500108", "category": "fire_safety"}
    resp = file(call, form)
    assert resp.status_code == 201 and resp.get_json()["departments"] == ["fire_rescue"]


def test_the_phone_number_is_nowhere_in_clear_but_the_handling_official_sees_it(
        call, store, settings) -> None:
    receipt = file(call).get_json()
    cid = receipt["complaint_id"]
    db = mongo.database(settings)
    for name in db.list_collection_names():
        for doc in db[name].find():
            assert PHONE not in str(doc) and "张某" not in str(doc), name
    vault = mongo.client(settings.mongodb_uri)[settings.database + "_vault"]
    for doc in vault["data_keys"].find():
        assert PHONE.encode() not in bytes(doc["wrapped"])
    seen = as_official(call, "GET", f"/api/v1/complaints/{cid}", "civil_affairs", "500103")
    assert seen.status_code == 200
    body = seen.get_json()
    assert (body["contact_phone"], body["contact_name"]) == (PHONE, "张某")
    assert "押金" in body["description"] and seen.headers["Cache-Control"] == "no-store"
    # not a handling department, or another district: 403
    assert as_official(call, "GET", f"/api/v1/complaints/{cid}", "fire_rescue").status_code == 403
    assert as_official(call, "GET", f"/api/v1/complaints/{cid}", "civil_affairs",
                       "500108").status_code == 403


def _handle(call, cid: str, department: str, region: str = "500103") -> None:
    base = f"/api/v1/complaints/{cid}"
    for path, body in (("acceptance", {}),
                       ("investigation", {"finding": "substantiated", "summary": "查实收费超标"}),
                       ("reply", {"reply": "已责令退还押金"})):
        resp = as_official(call, "POST", f"{base}/{path}", department, region, json=body)
        assert resp.status_code == 200, resp.get_json()


def test_handling_to_closure_then_the_complainant_reads_and_rates(call) -> None:
    receipt = file(call).get_json()
    cid, code = receipt["complaint_id"], receipt["check_code"]
    status = call("POST", f"{PUBLIC}/status", role=None,
                  json={"complaint_id": cid, "check_code": code}).get_json()
    assert {t["stage"] for t in status["tracks"]} == {"received"}
    assert "contact_phone" not in status and "description" not in status
    _handle(call, cid, "civil_affairs")
    early = call("POST", f"{PUBLIC}/rating", role=None,
                 json={"complaint_id": cid, "check_code": code, "rating": "satisfied"})
    assert early.status_code == 409  # market supervision has not replied yet
    _handle(call, cid, "market_supervision")
    status = call("POST", f"{PUBLIC}/status", role=None,
                  json={"complaint_id": cid, "check_code": code.lower()}).get_json()
    assert status["outcome"] == "replied" and status["closed_on"] == TODAY.isoformat()
    assert {t["reply"] for t in status["tracks"]} == {"已责令退还押金"}
    rated = call("POST", f"{PUBLIC}/rating", role=None,
                 json={"complaint_id": cid, "check_code": code, "rating": "satisfied"})
    assert rated.status_code == 200 and rated.get_json()["events"] == ["ComplaintRated"]


def test_a_wrong_check_code_and_an_unknown_number_answer_the_same_404(call) -> None:
    cid = file(call).get_json()["complaint_id"]
    wrong = call("POST", f"{PUBLIC}/status", role=None,
                 json={"complaint_id": cid, "check_code": "AAAAAAAA"})
    unknown = call("POST", f"{PUBLIC}/status", role=None,
                   json={"complaint_id": "TS2222222222", "check_code": "AAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json()["detail"] == unknown.get_json()["detail"]


def test_elder_abuse_reaches_civil_affairs_and_police_with_one_working_day(call) -> None:
    resp = file(call, {**FORM, "category": "elder_abuse", "anonymous": True,
                       "contact_name": "", "contact_phone": ""})
    body = resp.get_json()
    assert resp.status_code == 201, body
    assert set(body["departments"]) == {"civil_affairs", "public_security"}
    assert body["accept_due"] == "2025-03-04"  # Monday + 1 working day


def test_only_routed_departments_in_the_district_may_handle(call) -> None:
    cid = file(call).get_json()["complaint_id"]
    url = f"/api/v1/complaints/{cid}/acceptance"
    assert as_official(call, "POST", url, "fire_rescue", json={}).status_code == 403
    assert as_official(call, "POST", url, "civil_affairs", "500108", json={}).status_code == 403
    assert call("POST", url, role=None, json={}).status_code == 401
    assert as_official(call, "POST", url, "civil_affairs", "5001", json={}).status_code == 200


def test_transfer_opens_the_other_departments_track(call) -> None:
    cid = file(call).get_json()["complaint_id"]
    resp = as_official(call, "POST", f"/api/v1/complaints/{cid}/transfer", "market_supervision",
                       json={"to_departments": ["housing"], "reason": "属房屋安全"})
    tracks = {t["department"]: t["stage"] for t in resp.get_json()["tracks"]}
    assert tracks == {"civil_affairs": "received", "market_supervision": "transferred",
                      "housing": "received"}


def test_a_duplicate_merges_into_an_open_complaint_of_the_same_institution(call) -> None:
    a = file(call).get_json()["complaint_id"]
    b = file(call, {**FORM, "description": "重复：押金不退"}).get_json()["complaint_id"]
    c = file(call, {**FORM, "institution_uscc": OTHER_USCC}).get_json()["complaint_id"]
    url = f"/api/v1/complaints/{b}/merge"
    other = as_official(call, "POST", f"/api/v1/complaints/{c}/merge", "civil_affairs",
                        json={"into": a})
    assert other.status_code == 422  # another institution
    merged = as_official(call, "POST", url, "civil_affairs", json={"into": a})
    assert merged.get_json()["outcome"] == "merged"
    again = as_official(call, "POST", url, "civil_affairs", json={"into": a})
    assert again.status_code == 200 and again.get_json()["events"] == []


def test_erasure_shreds_contact_and_words_but_keeps_the_record(call, keys) -> None:
    receipt = file(call).get_json()
    cid = receipt["complaint_id"]
    url = f"/api/v1/complaints/{cid}/erasure"
    early = as_official(call, "POST", url, "civil_affairs", json={"reason": "到期"})
    assert early.status_code == 409  # still being handled
    as_official(call, "POST", f"/api/v1/complaints/{cid}/refusal", "civil_affairs",
                json={"reason": "不属于受理范围"})
    as_official(call, "POST", f"/api/v1/complaints/{cid}/refusal", "market_supervision",
                json={"reason": "不属于受理范围"})
    clerk = mint("t-clerk", "civil_affairs", duties=("clerk",))
    assert call("POST", url, role=None, json={"reason": "到期"},
                headers={"Authorization": f"Bearer {clerk}"}).status_code == 403
    assert as_official(call, "POST", url, "civil_affairs", json={"reason": "保存期满"}
                       ).status_code == 200
    assert keys.get(cid) is None
    body = as_official(call, "GET", f"/api/v1/complaints/{cid}", "civil_affairs").get_json()
    assert body["erased"] and body["description"] is None and body["contact_phone"] is None
    assert body["outcome"] == "refused"


def test_hotline_tickets_are_idempotent_and_need_the_intake_scope(call) -> None:
    body = {**FORM, "channel": "hotline_12349", "ticket": "12349-2025-0001"}
    url = "/api/v1/intake/complaints"
    first = call("POST", url, scope="complaints:intake", json=body)
    assert first.status_code == 201, first.get_json()
    again = call("POST", url, scope="complaints:intake", json=body)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    changed = call("POST", url, scope="complaints:intake",
                   json={**body, "description": "改了内容"})
    assert changed.status_code == 409
    assert call("POST", url, json=body).status_code == 403  # an official, not the hotline


def test_the_scheduler_flags_a_passed_deadline_once(call, deps, clock) -> None:
    receipt = file(call).get_json()
    clock.set(china_noon(TODAY + timedelta(days=3)))  # Thursday: the due day itself
    assert scheduler.run_once(deps).flagged == []
    clock.set(china_noon(TODAY + timedelta(days=4)))
    report = scheduler.run_once(deps)
    cid = receipt["complaint_id"]
    assert sorted(report.flagged) == [f"{cid}/civil_affairs/accept",
                                      f"{cid}/market_supervision/accept"]
    assert scheduler.run_once(deps).flagged == []


def test_free_text_is_stored_as_written_for_the_pages_to_escape(call) -> None:
    text = "<script>alert(1)</script>&amp;"
    cid = file(call, {**FORM, "description": text}).get_json()["complaint_id"]
    body = as_official(call, "GET", f"/api/v1/complaints/{cid}", "civil_affairs").get_json()
    assert body["description"] == text
