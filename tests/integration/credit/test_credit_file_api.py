"""GET /api/v1/credit-files/<uscc>: the level with its reasons, for regulators only."""

from __future__ import annotations

from datetime import date

from credit.app.records import add_record, note_filing
from credit.domain.credit_file import AddRecord, NoteFiling

from tests.unit.credit.builders import TODAY, make_uscc, meta

U = make_uscc(41)
URL = f"/api/v1/credit-files/{U}"


def test_the_level_and_its_reasons_are_shown_to_regulators_only(call, ctx):
    note_filing(ctx, meta("system"), NoteFiling(U, date(2026, 9, 1), "reg-e1"))
    add_record(ctx, meta("system"), AddRecord(
        U, "fire_safety:hazard:h1", "fire_safety", "fs-e1", "MajorHazardDetermined",
        "major_fire_hazard", TODAY, "经集体讨论判定为重大火灾隐患"))
    add_record(ctx, meta("system"), AddRecord(
        U, "escrow:e2", "escrow", "es-e2", "RefundOverdue", "refund_overdue",
        date(2024, 11, 23), "退款逾期"))
    r = call("GET", URL, "fire_rescue")
    assert r.status_code == 200, r.json
    body = r.json
    assert (body["level"], body["determined_by"]) == ("C", "demotion")
    assert body["score_level"] == "B" and body["score"] == 75  # 100 − 20 − 10 × 0.5 (faded)
    assert body["filed_on"] == "2026-09-01"
    assert body["neutral"] == {"applies": True, "level": "B", "months": 12,
                               "until": "2027-09-01"}
    assert body["demoted_by"] == ["fire_safety:hazard:h1"] and body["forced_by"] == []
    rows = {row["record_id"]: row for row in body["records"]}
    hazard = rows["fire_safety:hazard:h1"]
    assert hazard["weight"] == 20 and hazard["demotes"] and not hazard["forces_d"]
    assert rows["escrow:e2"]["fade"] == 0.5 and rows["escrow:e2"]["weight"] == 5
    assert body["thresholds"] == {"A": 90, "B": 75, "C": 60}


def test_credit_files_need_a_department_token(call, ctx):
    note_filing(ctx, meta("system"), NoteFiling(U, TODAY, "reg-e1"))
    assert call("GET", URL).status_code == 401
    assert call("GET", URL, "admin").status_code == 403  # accounts only
    assert call("GET", URL, "health").status_code == 200


def test_unknown_or_malformed_institutions_get_problem_json(call):
    missing = call("GET", f"/api/v1/credit-files/{make_uscc(42)}", "civil_affairs")
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    bad = call("GET", "/api/v1/credit-files/123", "civil_affairs")
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
