"""Complaints on the public site: statistics from the counters (no content anywhere), the
open data, and the form, tracking and rating pages through a real complaints service over
HTTP."""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta

import pytest
from complaints.app import complaints as uc
from complaints.app.secrets import Secrets
from complaints.app.vault import MemoryKeys
from complaints.bootstrap import create_app as complaints_app
from hypothesis import given, settings
from hypothesis import strategies as st
from projection.bootstrap import create_app
from projection.features.complaints import pages
from projection.features.complaints import projector as cmp
from projection.features.complaints.stats import _median
from werkzeug.serving import make_server

from shared.config import Settings
from shared.eventstore import InMemoryEventStore
from tests.support import Projected
from tests.unit.complaints.builders import TODAY, USCC, World, meta, official

PHONE = "13700001111"


@pytest.fixture()
def db(mongo_client, infra, unique):
    database = mongo_client[f"tpc_{unique}_projection"]
    Projected(database, cmp.PROJECTOR).prepare()
    yield database
    mongo_client.drop_database(database.name)


def _file(w: World, n: int, category: str = "fees_deposits", **kw) -> str:
    sub = uc.Submission(category=category, description=f"押金不退 {PHONE} #{n}",
                        institution_uscc=USCC, anonymous=False, contact_phone=PHONE, **kw)
    return uc.submit(w.deps, sub, f"test|{n}", "web",
                     meta(official("civil_affairs")).__class__.system("x", "public")
                     ).complaint_id


def _handle(w: World, cid: str, days: int) -> None:
    for dept in ("civil_affairs", "market_supervision"):
        who = official(dept)
        uc.accept(w.deps, cid, who, meta(who))
        uc.investigate(w.deps, cid, "partly", "查实", who, meta(who))
    w.move_to(TODAY + timedelta(days=days))
    for dept in ("civil_affairs", "market_supervision"):
        who = official(dept)
        uc.reply(w.deps, cid, "已处理", who, meta(who))
    w.move_to(TODAY)


def _envelopes(w: World) -> list:
    return [env for name in w.store.streams_with("ComplaintReceived")
            for env in w.store.load(name).events]


def test_statistics_count_and_time_without_any_content(db) -> None:
    w = World()
    ids = [_file(w, n) for n in range(5)]
    _file(w, 9, category="elder_abuse")
    _handle(w, ids[0], 2)   # Monday + 2 days: 2 working days
    _handle(w, ids[1], 7)   # a week later: 5 working days
    p = Projected(db, cmp.PROJECTOR)
    p.feed(_envelopes(w))
    p.feed(_envelopes(w))  # redelivered: counted once
    app = create_app(Settings(service="projection", extra={
        "ELDERCARE_PUBLIC_RATE_LIMIT": "100000 per second"}), db=db)
    body = app.test_client().get("/open-data/complaints.json").get_json()
    rows = {r["category"]: r for r in body["rows"]}
    fees = rows["fees_deposits"]
    assert (fees["month"], fees["district"], fees["received"], fees["closed"]) == (
        TODAY.isoformat()[:7], "500103", 5, 2)
    assert (fees["median_workdays"], fees["mean_workdays"], fees["replied"]) == (3.5, 3.5, 2)
    assert rows["elder_abuse"]["received"] == 1
    for name in db.list_collection_names():
        for doc in db[name].find():
            assert PHONE not in str(doc) and "押金不退" not in str(doc), name
    csv = app.test_client().get("/open-data/complaints.csv")
    assert csv.data.decode("utf-8-sig").splitlines()[0].startswith("月份,区县代码")
    assert p.rebuild() >= 1
    again = app.test_client().get("/open-data/complaints.json").get_json()
    assert again == body  # a rebuild from the inbox gives the same statistics


@settings(max_examples=200)
@given(st.dictionaries(st.integers(0, 60), st.integers(1, 20), min_size=1))
def test_median_of_a_histogram_is_the_median_of_its_values(hist) -> None:
    values = sorted(d for d, n in hist.items() for _ in range(n))
    mid = len(values) // 2
    expected = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    assert _median(hist) == expected


# -- the pages, through a real complaints service on a local port ---------------------------


@pytest.fixture()
def complaints_url(monkeypatch, infra, unique, mongo_client):
    store = InMemoryEventStore("complaints")
    settings = Settings(service="complaints", mongodb_uri=infra.mongo_uri,
                        db_prefix=f"tpcs_{unique}_")  # its idempotency records
    app = complaints_app(settings, store=store,
                         secrets=Secrets.generate(), keys=MemoryKeys())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("ELDERCARE_COMPLAINTS_URL", url)
    pages._categories_cache.clear()
    yield url
    server.shutdown()
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def site(db, complaints_url):
    app = create_app(Settings(service="projection", extra={
        "ELDERCARE_PUBLIC_RATE_LIMIT": "100000 per second"}), db=db)
    return app.test_client()


def _solve(page: str) -> str:
    from complaints.app import challenge

    found = {k: html.unescape(re.search(rf'data-{k}="([^"]*)"', page).group(1))
             for k in ("challenge", "salt", "algorithm", "max", "signature")}
    return challenge.solve({"challenge": found["challenge"], "salt": found["salt"],
                            "algorithm": found["algorithm"],
                            "maxNumber": int(found["max"]), "signature": found["signature"]})


def _form(page: str) -> dict:
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    return {"key": key, "altcha": _solve(page), "category": "service_quality",
            "institution": USCC, "description": "<b>护理员打骂老人</b>", "anonymous": "no",
            "contact_name": "李某", "contact_phone": PHONE}


def test_file_follow_and_the_answer_escaped(site) -> None:
    page = site.get("/complaints/new").get_data(as_text=True)
    assert "提交投诉" in page and site.get("/complaints/new").headers["Cache-Control"] == \
        "no-store"
    done = site.post("/complaints/new", data=_form(page))
    assert done.status_code == 201, done.get_data(as_text=True)[:2000]
    text = done.get_data(as_text=True)
    tracking = re.search(r'id="tracking">(TS[0-9A-Z]{10})<', text).group(1)
    code = re.search(r'id="check-code">([0-9A-Z]{8})<', text).group(1)
    status = site.post("/complaints/track", data={"complaint_id": tracking,
                                                  "check_code": code})
    shown = status.get_data(as_text=True)
    assert status.status_code == 200 and "待受理" in shown and "民政" in shown
    assert PHONE not in shown and "护理员打骂老人" not in shown  # the complainant's status only
    wrong = site.post("/complaints/track", data={"complaint_id": tracking,
                                                 "check_code": "22222222"})
    assert wrong.status_code == 404 and "不正确" in wrong.get_data(as_text=True)


def test_a_bad_form_comes_back_with_errors_at_the_fields_and_the_typed_text(site) -> None:
    page = site.get("/complaints/new").get_data(as_text=True)
    form = {**_form(page), "description": "", "contact_phone": "abc"}
    back = site.post("/complaints/new", data=form)
    text = back.get_data(as_text=True)
    assert back.status_code == 422
    assert 'id="description-error"' in text and 'id="contact_phone-error"' in text
    assert "李某" in text  # what was typed stays


def test_an_unknown_name_asks_for_the_district(site) -> None:
    page = site.get("/complaints/new").get_data(as_text=True)
    form = {**_form(page), "institution": "不存在的养老院"}
    back = site.post("/complaints/new", data=form)
    assert back.status_code == 422 and "选择机构所在区县" in back.get_data(as_text=True)
    form["district"] = "500108"
    ok = site.post("/complaints/new", data={**form, "key": "k2", "altcha": _solve(page)})
    assert ok.status_code == 201


def test_the_service_down_is_a_clear_503_page(db, monkeypatch) -> None:
    monkeypatch.setenv("ELDERCARE_COMPLAINTS_URL", "http://127.0.0.1:9")
    pages._categories_cache.clear()
    app = create_app(Settings(service="projection"), db=db)
    resp = app.test_client().get("/complaints/new")
    assert resp.status_code == 503 and "暂时无法访问" in resp.get_data(as_text=True)


def test_the_statistics_page_reads(site) -> None:
    resp = site.get("/complaints/statistics")
    assert resp.status_code == 200 and "投诉举报统计" in resp.get_data(as_text=True)


def test_the_public_site_limits_submissions_per_person(db, complaints_url) -> None:
    app = create_app(Settings(service="projection"), db=db)
    client = app.test_client()
    answers = [client.post("/complaints/track", data={"complaint_id": "TS2222222222",
                                                      "check_code": "x"}).status_code
               for _ in range(7)]
    assert answers[:5] == [404] * 5 and answers[5:] == [429, 429]
