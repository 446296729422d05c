"""Credit end to end: a penalty is disclosed; an overdue major hazard leads to a listing, every
department executes its measures, civil affairs sees the matrix; repair is refused before the
minimum period, and the (wrong) listing is corrected instead, leaving the public list."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from shared import kafka
from shared.config import topic_for
from shared.envelope import Envelope, ce_type, new_event_id
from tests.e2e.conftest import bearer, make_uscc, poll

USCC = make_uscc(9_500_001)
NAME = "重庆市渝中区信用端到端养老院"


def _api(stack, method: str, path: str, role: str, **kw) -> requests.Response:
    return requests.request(method, f"{stack.urls['credit']}/api/v1{path}",
                            headers=bearer(stack, role), timeout=10, **kw)


def _page(stack, path: str, role: str | None = None) -> str:
    headers = bearer(stack, role) if role else {}
    r = requests.get(f"{stack.urls['projection']}{path}", headers=headers, timeout=10)
    return r.text if r.status_code == 200 else ""


def _overdue_major_hazard(stack) -> None:
    """A fire_safety RectificationOverdue as its relay would publish it (its contract)."""
    today = datetime.now(UTC).date().isoformat()
    env = Envelope(id=new_event_id(), source="/eldercare/fire_safety",
                   type=ce_type("fire_safety", "RectificationOverdue"), subject="hazard-e2e-1",
                   time=datetime.now(UTC), stream_version=1, data={
                       "hazard_id": "e2e-hz-1", "inspection_id": "e2e-fi-1",
                       "institution_uscc": USCC, "institution_name": NAME,
                       "order_no": "渝中消限字〔2026〕99号", "level": "major",
                       "deadline": today, "detected_on": today, "reason": "deadline_passed",
                       "overdue_by_workdays": 1})
    producer = kafka.producer(stack.env["KAFKA_BOOTSTRAP_SERVERS"])
    producer.produce(topic_for("fire_safety"), key=env.subject, value=env.value(),
                     headers=env.headers())
    assert producer.flush(15) == 0


def test_a_penalty_is_recorded_published_and_shown_publicly(stack):
    body = {"decision_no": "渝中消罚〔2026〕E2E号",
            "party": {"kind": "organisation", "uscc": USCC, "name": NAME},
            "violation_type": "fire_safety", "legal_basis": "《消防法》第六十条",
            "sanctions": [{"kind": "fine", "amount_fen": 3_000_000}],
            "authority": "重庆市渝中区消防救援支队", "district_code": "500103",
            "decided_on": datetime.now(UTC).date().isoformat()}
    r = _api(stack, "POST", "/penalties", "fire_rescue", json=body)
    assert r.status_code in (200, 201), r.text
    pid = r.json()["penalty_id"]
    assert "渝中消罚〔2026〕E2E号" not in _page(stack, "/credit/penalties")
    assert _api(stack, "POST", f"/penalties/{pid}/publication", "fire_rescue").status_code == 200
    poll(lambda: "渝中消罚〔2026〕E2E号" in _page(stack, "/credit/penalties"))
    poll(lambda: "渝中消罚" in _page(stack, f"/credit/institutions/{USCC}"))


def test_an_overdue_major_hazard_leads_to_listing_measures_execution_and_correction(stack):
    _overdue_major_hazard(stack)
    proposed = poll(lambda: (r := _api(stack, "GET", f"/dishonesty/{USCC}", "civil_affairs"))
                    .status_code == 200 and r.json()["listing"])
    assert proposed["status"] == "proposed" and proposed["ground"] == "major_fire_hazard_overdue"
    r = _api(stack, "POST", f"/dishonesty/{USCC}/decision", "civil_affairs",
             json={"approve": True, "decision_no": "渝民信〔2026〕E2E号"})
    assert r.status_code == 200, r.text
    measures = r.json()["listing"]["measures"]
    poll(lambda: NAME in _page(stack, "/credit/dishonesty"))
    for m in measures:
        poll(lambda m=m: m["measure_id"] in _page(stack, "/credit/joint-enforcement",
                                                  m["department"]))
        done = _api(stack, "POST", f"/dishonesty/{USCC}/measures/{m['measure_id']}/execution",
                    m["department"], json={"note": "已执行"})
        assert done.status_code == 200, done.text
    total = len(measures)
    poll(lambda: f"{sum(1 for m in measures if m['department'] == 'finance')} / "
         in _page(stack, "/credit/joint-enforcement/matrix", "civil_affairs")
         and "state-pending" not in _page(stack, "/credit/joint-enforcement", "civil_affairs"))
    assert total >= 4
    r = _api(stack, "POST", f"/dishonesty/{USCC}/repair", "civil_affairs",
             json={"approved": True, "decision_no": "修复〔2026〕E2E号", "reason": "已整改"})
    assert r.status_code == 409  # 管理办法 art. 11: no repair before the 2-year minimum
    r = _api(stack, "POST", f"/dishonesty/{USCC}/correction", "civil_affairs",
             json={"decision_no": "更正〔2026〕E2E号", "reason": "隐患已在期限内整改，认定有误"})
    assert r.status_code == 200 and r.json()["listing"]["status"] == "corrected"
    poll(lambda: NAME not in _page(stack, "/credit/dishonesty"))
    file = poll(lambda: (f := _api(stack, "GET", f"/credit-files/{USCC}", "health"))
                .status_code == 200 and len(f.json()["records"]) >= 2 and f.json())
    assert {r["category"] for r in file["records"]} >= {"fire_rectification_overdue",
                                                        "serious_dishonesty"}
