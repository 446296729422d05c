"""Complaints, risk early warning and targeted inspections through the running platform:

- three fee complaints and a deposit shortfall raise an orange alert within seconds, which
  opens a targeted inspection for civil affairs; the alert resolves only once the shortfall
  is settled and the inspection's result is published;
- an elder-abuse complaint reaches civil affairs and public security at once (their desks)
  and is a red alert;
- the complainant's phone number is found nowhere in clear: not in any database but the
  ciphertext, not on any topic, in no log, on no public page;
- a complaint filed in a real browser on a phone-width page, then followed with its number.
"""

from __future__ import annotations

import random
import time

import pytest
import requests
from complaints.app import challenge
from confluent_kafka import Consumer, TopicPartition
from pymongo import MongoClient
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import bearer, make_uscc, poll, today
from tests.e2e.test_browser import make_browser

PHONE = f"139{random.randint(10_000_000, 99_999_999)}"


def _complaint(stack, uscc: str, category: str, n: int) -> dict:
    base = f"{stack.urls['complaints']}/api/v1/public/complaints"
    c = requests.get(f"{base}/challenge", timeout=5).json()
    body = {"category": category, "description": f"第 {n} 次：收了押金不退，联系我 {PHONE}",
            "institution_uscc": uscc, "institution_name": "风险测试养老院",
            "anonymous": False, "contact_name": "赵某", "contact_phone": PHONE,
            "altcha": challenge.solve(c)}
    resp = requests.post(base, json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _risk(stack, uscc: str) -> dict | None:
    r = requests.get(f"{stack.urls['risk']}/api/v1/institutions/{uscc}/risk",
                     headers=bearer(stack, "civil_affairs"), timeout=5)
    return r.json() if r.status_code == 200 else None


def _escrow(stack, path: str, role: str = "civil_affairs", **kw) -> requests.Response:
    return requests.post(f"{stack.urls['escrow']}/api/v1/institutions{path}", headers={
        **bearer(stack, role), **kw.pop("headers", {})}, timeout=10, **kw)


def _statement(stack, uscc: str, txn: str, amount_fen: int) -> list[str]:
    csv = f"bank_txn_id,booked_on,amount_fen\n{txn},{today().isoformat()},{amount_fen}\n"
    resp = _escrow(stack, f"/{uscc}/statements", role="finance", data=csv.encode(),
                   headers={"Content-Type": "text/csv"})
    assert resp.ok, resp.text
    return list(resp.json()["events"])


def _desk(stack, role: str) -> list[dict]:
    r = requests.get(f"{stack.urls['projection']}/api/v1/desk", headers=bearer(stack, role),
                     timeout=10)
    return r.json()["items"] if r.ok else []


def test_fee_complaints_and_a_shortfall_raise_orange_then_a_targeted_inspection(stack):
    uscc = make_uscc(random.randint(100_000, 999_999))
    started = time.monotonic()
    for n in range(3):
        _complaint(stack, uscc, "fees_deposits", n)
    assert _escrow(stack, f"/{uscc}/account", json={
        "jurisdiction": "beijing", "bank": "北京银行", "account_number": "6214830012340001",
        "custody_agreement_id": "BJ-RISK-1"}).status_code == 201
    assert _escrow(stack, f"/{uscc}/contracts", json={
        "contract_id": "C1", "resident_ref": "R-risk01", "starts_on": today().isoformat(),
        "monthly_service_fee_fen": 500_000, "monthly_bed_fee_fen": 200_000}).status_code == 201
    assert _escrow(stack, f"/{uscc}/contracts/C1/deposits", json={
        "kind": "deposit", "receipt_no": "S1", "amount_fen": 2_000_000}).status_code == 201
    assert "EscrowShortfallDetected" in _statement(stack, uscc, f"R-{uscc}-1", 1_500_000)
    risk = poll(lambda: (r := _risk(stack, uscc)) and r["alert"]
                and r["alert"]["level"] == "orange" and r, timeout=60)
    seconds = time.monotonic() - started
    print(f"orange alert {seconds:.1f} s after the first complaint")
    alert = risk["alert"]
    assert alert["awaiting_inspection"] and risk["risk_class"] == "high"
    assert {r["rule"] for r in alert["reasons"]} >= {"repeated_complaints", "deposit_shortfall"}
    targeted = f"{stack.urls['inspection']}/api/v1/targeted-inspections/TI-{alert['alert_id']}"
    opened = poll(lambda: (r := requests.get(targeted, headers=bearer(stack, "civil_affairs"),
                                             timeout=5)).ok and r.json(), timeout=60)
    assert opened["departments"] == ["civil_affairs"] and opened["status"] == "open"
    item = poll(lambda: next((i for i in _desk(stack, "civil_affairs")
                              if i["ref"] == opened["inspection_id"]), None), timeout=60)
    assert item["kind"] == "targeted_to_inspect" and item["due"] == opened["due"]
    assert not any(i["ref"] == opened["inspection_id"] for i in _desk(stack, "fire_rescue"))
    # the shortfall is settled, but the alert waits for the inspection's result
    assert "EscrowShortfallResolved" in _statement(stack, uscc, f"R-{uscc}-2", 1_000_000)
    poll(lambda: (r := _risk(stack, uscc)) and "deposit_shortfall" not in
         {x["rule"] for x in r["reasons"]}, timeout=60)
    assert _risk(stack, uscc)["alert"]["alert_id"] == alert["alert_id"]
    result = {"inspected_on": today().isoformat(), "inspectors": ["王执法", "陈执法"],
              "findings": "专户资金已补足，收费公示到位", "problem_found": False,
              "follow_up": "none"}
    assert requests.post(f"{targeted}/result", json=result, timeout=10,
                         headers=bearer(stack, "civil_affairs")).ok
    assert requests.post(f"{targeted}/publication", json={}, timeout=10,
                         headers=bearer(stack, "civil_affairs")).ok
    after = poll(lambda: (r := _risk(stack, uscc)) and r["alert"]
                 and r["alert"]["alert_id"] != alert["alert_id"] and r, timeout=60)
    assert after["alert"]["level"] == "yellow"  # the orange one resolved; complaints remain
    assert alert["alert_id"] in after["alerts"]
    page = poll(lambda: (r := requests.get(
        f"{stack.urls['projection']}/inspection/institutions/{uscc}", timeout=5)).ok
        and 'class="targeted-reason"' in r.text and r.text, timeout=60)
    assert "预收费专户资金缺口" in page


def test_an_elder_abuse_complaint_reaches_both_departments_at_once(stack):
    uscc = make_uscc(random.randint(100_000, 999_999))
    receipt = _complaint(stack, uscc, "elder_abuse", 1)
    cid = receipt["complaint_id"]
    for role in ("civil_affairs", "public_security"):
        item = poll(lambda role=role: next((i for i in _desk(stack, role)
                                            if i["ref"] == cid), None), timeout=60)
        assert item["kind"] == "complaint_to_accept" and item["due"] == receipt["accept_due"]
        assert PHONE not in str(item)
    red = poll(lambda: (r := _risk(stack, uscc)) and r["alert"] and r, timeout=60)
    assert red["alert"]["level"] == "red"
    # the police accept their part: their item moves on, civil affairs' stays as it was
    accepted = requests.post(f"{stack.urls['complaints']}/api/v1/complaints/{cid}/acceptance",
                             json={}, headers=bearer(stack, "public_security"), timeout=10)
    assert accepted.ok, accepted.text
    poll(lambda: next((i for i in _desk(stack, "public_security")
                       if i["ref"] == cid and i["kind"] == "complaint_to_reply"), None))


def _topic_text(bootstrap: str) -> str:
    """Every message of every eldercare topic, from the beginning, as text."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"scan-{random.random()}",
                  "enable.auto.commit": False})
    parts = []
    for topic in c.list_topics(timeout=10).topics:
        if not topic.startswith("eldercare."):
            continue
        meta = c.list_topics(topic, timeout=10).topics[topic]
        for p in meta.partitions:
            low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if high > low:
                parts.append((TopicPartition(topic, p, low), high))
    out = []
    for tp, high in parts:
        c.assign([tp])
        pos = tp.offset
        deadline = time.monotonic() + 20
        while pos < high and time.monotonic() < deadline:
            msg = c.poll(1.0)
            if msg is None or msg.error():
                continue
            out.append((msg.value() or b"").decode("utf-8", "replace"))
            out.append(str(msg.headers()))
            pos = msg.offset() + 1
    c.close()
    return "\n".join(out)


def test_the_phone_number_is_nowhere_in_clear(stack):
    uscc = make_uscc(random.randint(100_000, 999_999))
    receipt = _complaint(stack, uscc, "service_quality", 9)
    cid = receipt["complaint_id"]
    seen = requests.get(f"{stack.urls['complaints']}/api/v1/complaints/{cid}",
                        headers=bearer(stack, "civil_affairs"), timeout=5).json()
    assert seen["contact_phone"] == PHONE  # the handling department sees it
    poll(lambda: next((i for i in _desk(stack, "civil_affairs") if i["ref"] == cid), None))
    with MongoClient(stack.infra.mongo_uri, tz_aware=True) as mongo:
        for name in mongo.list_database_names():
            for coll in mongo[name].list_collection_names():
                for doc in mongo[name][coll].find():
                    assert PHONE not in str(doc), f"{name}.{coll}"
    assert PHONE not in _topic_text(stack.infra.kafka)
    for log in stack.log_dir.glob("*.log"):
        assert PHONE not in log.read_text(encoding="utf-8", errors="replace"), log.name
    for path in ("/", "/complaints/", "/complaints/statistics", "/open-data/complaints.csv",
                 f"/institutions/{uscc}", f"/inspection/institutions/{uscc}"):
        page = requests.get(stack.urls["projection"] + path, timeout=10)
        assert PHONE not in page.text, path


@pytest.fixture(scope="module")
def phone():
    b = make_browser()
    yield b
    b.quit()


def test_a_complaint_filed_in_the_browser_and_followed(stack, phone):
    phone.get(stack.urls["projection"] + "/complaints/")
    phone.find_element(By.ID, "to-new").click()
    phone.find_element(By.CSS_SELECTOR, "input[name=category][value=service_quality]").click()
    phone.find_element(By.ID, "institution").send_keys("不在名录的测试养老院")
    phone.find_element(By.CSS_SELECTOR, "#district option[value='500108']").click()
    phone.find_element(By.ID, "description").send_keys("夜间无人值守，老人摔倒无人发现")
    WebDriverWait(phone, 30).until(
        lambda b: b.find_element(By.ID, "pow-status").get_attribute("data-done") == "yes")
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"the form overflows a phone screen ({width}px)"
    phone.find_element(By.ID, "submit").click()
    WebDriverWait(phone, 30).until(lambda b: "已收到您的投诉" in b.title)
    tracking = phone.find_element(By.ID, "tracking").text
    code = phone.find_element(By.ID, "check-code").text
    assert tracking.startswith("TS") and len(code) == 8
    phone.get(stack.urls["projection"] + "/complaints/track")
    phone.find_element(By.ID, "complaint_id").send_keys(tracking)
    phone.find_element(By.ID, "check_code").send_keys(code.lower())
    phone.find_element(By.ID, "track-submit").click()
    WebDriverWait(phone, 30).until(lambda b: "办理进度" in b.title and tracking in b.title)
    assert "待受理" in phone.find_element(By.TAG_NAME, "main").text
    assert "民政" in phone.find_element(By.TAG_NAME, "main").text
