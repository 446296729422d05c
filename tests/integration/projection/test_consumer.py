"""Registry events on Kafka reach the public directory exactly once; bad ones are set aside."""

from __future__ import annotations

import json

from projection.adapters import generations
from projection.adapters.directory import PublicDirectory
from projection.adapters.inbox import INBOX

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC
from tests.integration.projection.helpers import applied, envelope, rows, total, wait_until
from tests.unit.projection import samples as s

ZHONGZHOU, JIANGBEI = "500103", "500105"


def directory_events():
    """22 filed institutions in two districts, one unfiled enterprise, one cancelled filing."""
    events = []
    for n in range(1, 23):
        district = ZHONGZHOU if n <= 12 else JIANGBEI
        kind = "public" if n % 2 else "private_nonprofit"
        name = f"第{n:02d}养老院" if n != 7 else "夕阳红护理院"
        events.append(s.event("InstitutionFiled", s.filed(
            s.uscc(n), receipt_no=f"R-{n}", name=name, district_code=district,
            operator_type=kind), 1, s.at("2026-02-10")))
    events.append(s.event("EnterpriseRegistrationReceived",
                          s.registration_received(s.uscc(30)), 1, s.at("2026-01-06")))
    events += s.lifecycle(s.uscc(31))
    return events


def test_published_events_are_shown_on_the_directory_with_search_filters_and_paging(
        live, publish, db, client):
    events = directory_events()
    publish(*[envelope(e) for e in events])
    wait_until(lambda: applied(db, {e.uscc: e.version for e in events}))

    first = client.get("/").get_data(as_text=True)
    assert total(first) == 22 and len(rows(first)) == 20
    assert len(rows(client.get("/?page=2").get_data(as_text=True))) == 2
    found = client.get("/?q=夕阳红").get_data(as_text=True)
    assert rows(found) == [s.uscc(7)]
    assert total(client.get(f"/?district={JIANGBEI}").get_data(as_text=True)) == 10
    public_in_yuzhong = client.get(f"/?district={ZHONGZHOU}&operator_type=public")
    assert total(public_in_yuzhong.get_data(as_text=True)) == 6
    assert rows(client.get("/?status=cancelled").get_data(as_text=True)) == [s.uscc(31)]
    assert total(client.get("/?status=all").get_data(as_text=True)) == 24


def test_detail_page_shows_filing_registration_and_history_with_masked_contacts(
        live, publish, db, client):
    code = s.uscc(31)
    publish(*[envelope(e) for e in s.lifecycle(code)])
    wait_until(lambda: applied(db, {code: 4}))
    html = client.get(f"/institutions/{code}").get_data(as_text=True)
    for text in ("备案信息", "登记信息", "变更记录", "已注销备案", "138****5678", "王建国",
                 "重庆幸福养老服务有限公司", "注销备案，原因：机构停止养老服务"):
        assert text in html
    assert "13812345678" not in html and "李小红" not in html
    assert html.count('class="history-item"') == 4


def test_a_redelivered_event_changes_nothing(live, publish, db):
    code = s.uscc(40)
    filed, change = s.lifecycle(code)[1:3]
    filed = s.event(filed.name, filed.data, 1, filed.time)
    change = s.event(change.name, change.data, 2, change.time)
    first = envelope(filed)
    publish(first)
    wait_until(lambda: applied(db, {code: 1}))
    directory = PublicDirectory(lambda: db)
    before = directory.get(code)
    publish(first, first)  # the relay re-publishes after a crash
    publish(envelope(change))
    wait_until(lambda: applied(db, {code: 2}))
    after = directory.get(code)
    assert [h["version"] for h in after["history"]] == [1, 2]
    assert before["history"] == after["history"][:1]
    stored = generations.active_collection(db).find_one({"_id": code})
    assert "history" not in stored  # replayed from the inbox, not kept in the document
    assert sum(len(d["events"]) for d in db[INBOX].find({"uscc": code})) == 2  # kept once


def test_event_violating_its_schema_goes_to_the_dead_letter_topic_and_the_consumer_goes_on(
        live, publish, db, infra, unique):
    bad_code, good_code = s.uscc(50), s.uscc(51)
    bad = envelope(s.event("InstitutionFiled", {**s.filed(bad_code), "late": "perhaps"}, 1,
                           s.at("2026-02-10")))
    publish(bad, envelope(s.event("InstitutionFiled", s.filed(good_code), 1, s.at("2026-02-10"))))
    wait_until(lambda: applied(db, {good_code: 1}))
    assert generations.active_collection(db).find_one({"_id": bad_code}) is None
    dead = read_dead_letter(infra.kafka, f"dlq-reader-{unique}", bad)
    headers = dict(dead.headers())
    assert b"late" in headers["dlq_reason"] and dead.key() == bad.subject.encode()
    assert json.loads(dead.value())["late"] == "perhaps"


def read_dead_letter(bootstrap: str, group: str, env):
    """The dead letter of ``env`` (the topic is shared: match key and event id)."""
    reader = kafka.consumer(bootstrap, group, fast=True)
    reader.subscribe([DEAD_LETTER_TOPIC])

    def poll_for_it():
        msg = reader.poll(0.5)
        if msg is None or msg.error() or msg.key() != env.subject.encode():
            return None
        return msg if dict(msg.headers()).get("ce_id") == env.id.encode() else None

    try:
        return wait_until(poll_for_it, timeout=30, every=0)
    finally:
        reader.close()
