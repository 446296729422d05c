"""Listing endpoints: two steps, department-bound execution, checks, removal, credit files."""

from __future__ import annotations

from datetime import date

from tests.integration.credit.conftest import names
from tests.unit.credit.builders import china_noon, make_uscc

U = make_uscc(12)
BASE = f"/api/v1/dishonesty/{U}"


def propose(call):
    return call("POST", f"{BASE}/proposal", "fire_rescue", json={
        "institution_name": "重庆幸福养老服务有限公司", "ground": "major_fire_hazard_overdue",
        "ground_detail": "重大火灾隐患逾期未整改",
        "responsible_persons": [{"name": "王建国", "id_number": "500103197001011234",
                                 "role": "法定代表人"}]})


def test_proposal_then_decision_issues_measures_each_department_executes(call, store, clock):
    assert propose(call).status_code == 201
    assert call("POST", f"{BASE}/decision", "fire_rescue", json={
        "approve": True, "decision_no": "渝民信〔2026〕1号"}).status_code == 403
    r = call("POST", f"{BASE}/decision", "civil_affairs",
             json={"approve": True, "decision_no": "渝民信〔2026〕1号"})
    listing = r.json["listing"]
    assert listing["status"] == "listed"
    assert listing["responsible_persons"][0]["name_masked"] == "王**"
    measures = listing["measures"]
    mid = next(m["measure_id"] for m in measures if m["department"] == "finance")
    wrong = call("POST", f"{BASE}/measures/{mid}/execution", "health", json={})
    assert wrong.status_code == 403
    ok = call("POST", f"{BASE}/measures/{mid}/execution", "finance", json={"note": "已执行"})
    assert ok.status_code == 200
    clock.set(china_noon(date(2026, 12, 8)))
    report = call("POST", "/api/v1/checks/run", "civil_affairs").json
    assert len(report["overdue_measures"]) == len(measures) - 1
    assert names(store).count("JointMeasureIssued") == len(measures)


def test_removal_is_refused_before_two_years_and_listing_details_are_readable(call):
    propose(call)
    call("POST", f"{BASE}/decision", "civil_affairs",
         json={"approve": True, "decision_no": "渝民信〔2026〕1号"})
    r = call("POST", f"{BASE}/removal", "civil_affairs", json={
        "decision_no": "移〔2026〕1号", "no_new_serious_dishonesty": True,
        "obligations_fulfilled": True})
    assert r.status_code == 409
    assert call("GET", BASE, "market_supervision").json["listing"]["status"] == "listed"
    assert call("GET", f"/api/v1/dishonesty/{make_uscc(99)}", "finance").status_code == 404
    assert call("GET", "/api/v1/dishonesty/123", "finance").status_code == 422


def test_credit_file_shows_records_and_level(call, ctx):
    from credit.app.records import add_record
    from credit.domain.credit_file import AddRecord

    from tests.unit.credit.builders import meta

    add_record(ctx, meta("system"), AddRecord(U, "x:1", "registry", "e1",
                                              "UnfiledOperationSuspected", "unfiled_operation",
                                              date(2026, 11, 20), ""))
    r = call("GET", f"/api/v1/credit-files/{U}", "health")
    # never filed: at most the neutral class (unknown is not good), although the score says A
    assert r.json["level"] == "B" and r.json["score"] == 90
    assert r.json["determined_by"] == "neutral_period"
    assert r.json["records"][0]["category"] == "unfiled_operation"
