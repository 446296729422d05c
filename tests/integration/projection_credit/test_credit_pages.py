"""Credit pages: disclosure periods, the public list, department views and rebuilds."""

from __future__ import annotations

from datetime import date, timedelta

from credit.app import listings, penalties
from credit.domain.events import Party
from credit.domain.listing import Decide
from credit.domain.masking import masked_person
from credit.domain.penalty import Sanction
from projection.features.credit import projector as store

from tests.integration.projection_credit.conftest import emitted
from tests.support import Projected
from tests.unit.credit.builders import TODAY, china_noon, make_uscc, meta, penalty_cmd
from tests.unit.credit.test_listing import proposal

U = make_uscc(31)


def feed(db, envs):
    Projected(db, store.PROJECTOR).feed(envs)


def read(db, collection):
    return Projected(db, store.PROJECTOR)[collection]


def test_a_penalty_shows_once_published_and_disappears_after_its_display_period(
        credit, db, client, page_clock):
    pid = penalties.record_penalty(credit, meta(), penalty_cmd(
        U, Sanction("fine", 200_000))).events[0].penalty_id
    feed(db, emitted(credit))
    assert "渝中民罚〔2026〕1号" not in client.get("/credit/penalties").get_data(as_text=True)
    penalties.publish_penalty(credit, meta(), pid)
    feed(db, emitted(credit, 1))
    html = client.get("/credit/penalties").get_data(as_text=True)
    assert "渝中民罚〔2026〕1号" in html and "罚款 2,000.00 元" in html and "2027-02-23" in html
    assert "渝中民罚" in client.get(f"/credit/institutions/{U}").get_data(as_text=True)
    page_clock.set(china_noon(date(2027, 2, 24)))
    assert "渝中民罚〔2026〕1号" not in client.get("/credit/penalties").get_data(as_text=True)


def test_a_withdrawn_penalty_is_no_longer_shown_and_persons_appear_masked(
        credit, db, client, source_clock):
    person = {"kind": "person", "uscc": None, **{k: v for k, v in masked_person(
        "李小红", "500103199001011234", "salt").items() if k != "role"}}
    person["name"] = person.pop("name_masked")
    pid = penalties.record_penalty(credit, meta(), penalty_cmd(
        "", decision_no="人罚1号", party=Party.from_data(person))).events[0].penalty_id
    penalties.publish_penalty(credit, meta(), pid)
    feed(db, emitted(credit))
    html = client.get("/credit/penalties").get_data(as_text=True)
    assert "李**" in html and "500*************34" in html and person["id_hash"] not in html
    source_clock.set(china_noon(TODAY + timedelta(days=1)))
    penalties.withdraw_penalty(credit, meta(), pid, "revoked", "撤销", TODAY)
    feed(db, emitted(credit, 2))
    assert "人罚1号" not in client.get("/credit/penalties").get_data(as_text=True)


def listed(credit):
    listings.propose(credit, meta("fire_rescue"), proposal(uscc=U))
    listings.decide(credit, meta(), U, Decide(True, "渝民信〔2026〕1号", "", TODAY))


def test_the_public_list_and_each_departments_measures(credit, db, client, token, page_clock):
    listed(credit)
    feed(db, emitted(credit))
    html = client.get("/credit/dishonesty").get_data(as_text=True)
    assert "重庆幸福养老服务有限公司" in html and "张**" in html and "2029-11-23" in html
    assert client.get("/credit/joint-enforcement").status_code == 401
    mine = client.get("/credit/joint-enforcement", headers=token("finance")).get_data(as_text=True)
    assert mine.count('class="measure state-pending"') == 2
    assert 'data-label="部门">财政/金融' in mine and 'data-label="部门">市场监管' not in mine
    listings.execute_measure(credit, meta("finance"), U, f"{U}-1.finance.no_subsidy", "")
    feed(db, emitted(credit, 8))
    page_clock.set(china_noon(date(2026, 12, 8)))
    mine = client.get("/credit/joint-enforcement", headers=token("finance")).get_data(as_text=True)
    assert 'state-executed' in mine and 'state-overdue' in mine
    assert client.get("/credit/joint-enforcement/matrix",
                      headers=token("finance")).status_code == 403
    matrix = client.get("/credit/joint-enforcement/matrix",
                        headers=token("civil_affairs")).get_data(as_text=True)
    assert 'data-dept="finance" class="cell status-cancelled">1 / 2' in matrix


def test_delisting_removes_the_institution_from_the_public_list(credit, db, client,
                                                                 source_clock):
    listed(credit)
    source_clock.set(china_noon(date(2029, 11, 23)))
    listings.check_listings(credit, meta("system"))
    feed(db, emitted(credit))
    assert "渝民信〔2026〕1号" not in client.get("/credit/dishonesty").get_data(as_text=True)
    lifted = list(read(db, store.MEASURES).find({"lifted_on": "2029-11-23"}))
    assert len(lifted) == len(credit.listing_rules.measures)


def snapshot(db):
    return {c: sorted(read(db, c).find({}), key=lambda d: d["_id"])
            for c in (store.PENALTIES, store.LISTINGS, store.MEASURES, store.LEVELS)}


def test_a_redelivered_event_changes_nothing_and_a_rebuild_gives_the_live_result(credit, db):
    listed(credit)
    pid = penalties.record_penalty(credit, meta(), penalty_cmd(U)).events[0].penalty_id
    penalties.publish_penalty(credit, meta(), pid)
    envs = emitted(credit)
    feed(db, envs)
    live = snapshot(db)
    feed(db, envs)  # every event again, as after a relay crash
    assert snapshot(db) == live
    Projected(db, store.PROJECTOR).rebuild()
    assert snapshot(db) == live


def test_a_corrected_listing_leaves_every_public_page(credit, db, client, source_clock):
    listed(credit)
    feed(db, emitted(credit))
    assert "渝民信〔2026〕1号" in client.get("/credit/dishonesty").get_data(as_text=True)
    source_clock.set(china_noon(TODAY + timedelta(days=3)))
    before = len(emitted(credit))
    listings.correct_listing(credit, meta(), U, "渝民更〔2026〕1号", "认定事实有误")
    feed(db, emitted(credit, before))
    assert "渝民信〔2026〕1号" not in client.get("/credit/dishonesty").get_data(as_text=True)
    page = client.get(f"/credit/institutions/{U}").get_data(as_text=True)
    assert "渝民信〔2026〕1号" not in page and "认定事实有误" not in page
    doc = read(db, store.LISTINGS).find_one({"_id": U})
    assert doc["status"] == "corrected" and doc["correction_decision_no"] == "渝民更〔2026〕1号"
    lifted_on = (TODAY + timedelta(days=3)).isoformat()
    lifted = list(read(db, store.MEASURES).find({"lifted_on": lifted_on}))
    assert len(lifted) == len(credit.listing_rules.measures)
    Projected(db, store.PROJECTOR).rebuild()  # the rebuild agrees
    assert read(db, store.LISTINGS).find_one({"_id": U})["status"] == "corrected"


def test_the_penalties_page_is_paged_with_a_largest_page(credit, db, client):
    """Every penalty on display appears on exactly one page; per_page past 100 is 100."""
    for n in range(5):
        pid = penalties.record_penalty(credit, meta(), penalty_cmd(
            make_uscc(40 + n), decision_no=f"分页罚{n}号")).events[0].penalty_id
        penalties.publish_penalty(credit, meta(), pid)
    feed(db, emitted(credit))
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/credit/penalties?per_page=2&page={page}").get_data(as_text=True)
        seen += [f"分页罚{n}号" for n in range(5) if f"分页罚{n}号" in html]
        assert f"第 {page} / 3 页" in html
    assert sorted(seen) == [f"分页罚{n}号" for n in range(5)]
    past = client.get("/credit/penalties?per_page=2&page=99").get_data(as_text=True)
    assert "第 3 / 3 页" in past  # a page past the end shows the last one
    assert 'href="/credit/penalties?per_page=2&amp;page=2"' in past  # links keep per_page
    huge = client.get("/credit/penalties?per_page=100000&page=x").get_data(as_text=True)
    assert all(f"分页罚{n}号" in huge for n in range(5)) and 'class="pager"' not in huge


def test_every_page_and_dataset_as_of_a_past_day_shows_what_was_public_then(
        credit, db, client, page_clock, source_clock, mongo_client):
    """Time travel from events: a penalty published later is absent, one withdrawn later is
    still there; days outside [2000-01-01, today] and malformed days answer 422."""
    from shared.readside import asof

    pid = penalties.record_penalty(credit, meta(), penalty_cmd(
        U, Sanction("fine", 200_000))).events[0].penalty_id
    penalties.publish_penalty(credit, meta(), pid)
    source_clock.set(china_noon(TODAY + timedelta(days=2)))
    penalties.withdraw_penalty(credit, meta(), pid, "revoked", "复议撤销", TODAY)
    feed(db, emitted(credit))
    page_clock.set(china_noon(TODAY + timedelta(days=5)))
    client.application.extensions["projection.clock"] = page_clock
    try:
        shown = {}
        for days in (-1, 0, 1, 2):
            day = (TODAY + timedelta(days=days)).isoformat()
            html = client.get(f"/credit/penalties?as_of={day}").get_data(as_text=True)
            data = client.get(f"/open-data/penalties.json?as_of={day}").get_json()
            shown[days] = ("渝中民罚〔2026〕1号" in html, data["total"])
            assert f"{day} 日终" in html  # the page says which day it shows
        assert shown == {-1: (False, 0), 0: (True, 1), 1: (True, 1), 2: (False, 0)}
        assert "渝中民罚〔2026〕1号" not in client.get("/credit/penalties").get_data(as_text=True)
        for bad in ((TODAY + timedelta(days=6)).isoformat(), "1999-12-31", "2026-13-01",
                    "20261123", "yesterday"):
            page = client.get(f"/credit/penalties?as_of={bad}")
            assert page.status_code == 422 and "日期" in page.get_data(as_text=True), bad
            data = client.get(f"/open-data/penalties.csv?as_of={bad}")
            assert data.status_code == 422 and data.mimetype == "application/problem+json"
            assert "as_of" in data.get_json()["errors"]
        # today is now, not a fold
        today = client.get(f"/credit/penalties?as_of={(TODAY + timedelta(days=5)).isoformat()}")
        assert today.status_code == 200
    finally:
        mongo_client.drop_database(asof.database_of(db).name)
