"""Open data for every dataset: the dictionary lists each in both formats; JSON is paged with
its total, CSV is the whole set with Chinese headers and no formula; ETag answers 304."""

from __future__ import annotations

from projection.web.datasets import DATASETS


def test_the_index_lists_every_dataset_in_both_formats(client) -> None:
    page = client.get("/open-data/").get_data(as_text=True)
    for name in (*DATASETS, "institutions", "complaints"):
        assert f"{name}.json" in page and f"{name}.csv" in page, name
    for d in DATASETS.values():
        for key, _, _ in d.columns:
            assert f"<code>{key}</code>" in page


def test_each_dataset_answers_json_and_csv_with_etags(client) -> None:
    for name, d in DATASETS.items():
        first = client.get(f"/open-data/{name}.json")
        assert first.status_code == 200, name
        body = first.get_json()
        assert body["dataset"] == name and body["total"] == len(body["items"]) == 0
        again = client.get(f"/open-data/{name}.json",
                           headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        csv = client.get(f"/open-data/{name}.csv")
        header = csv.data.decode("utf-8-sig").splitlines()[0]
        assert header == ",".join(title for _, title, _ in d.columns)
    assert client.get("/open-data/nothing.json").status_code == 404
    assert client.get("/open-data/penalties.json?page=x").status_code == 422


def test_rows_join_by_uscc_and_no_csv_cell_is_a_formula(client, db) -> None:
    from projection.features import active
    from projection.features.credit.projector import LISTINGS, PROJECTOR

    active(db, PROJECTOR, LISTINGS).insert_one({
        "_id": "91500103MA5U7XYK4F", "uscc": "91500103MA5U7XYK4F", "status": "listed",
        "institution_name": "=HYPERLINK(1)", "listing_id": "L-1",
        "ground": "-1+2", "decision_no": "@SUM(A1)", "decided_on": "2026-11-20",
        "listed_until": "2029-11-20"})
    body = client.get("/open-data/dishonesty.json").get_json()
    assert body["total"] == 1 and body["items"][0]["uscc"] == "91500103MA5U7XYK4F"
    lines = client.get("/open-data/dishonesty.csv").data.decode("utf-8-sig").splitlines()
    cells = lines[1].split(",")
    assert all(not c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells), cells


def test_last_modified_stays_while_the_content_does_and_answers_if_modified_since(
        client, db) -> None:
    """Mirrors poll with If-Modified-Since: the date is when the content was first served and
    moves only when the content changes."""
    from datetime import timedelta
    from email.utils import format_datetime, parsedate_to_datetime

    from projection.features import active
    from projection.features.credit.projector import LISTINGS, PROJECTOR

    first = client.get("/open-data/dishonesty.csv")
    stamp = first.headers["Last-Modified"]
    assert client.get("/open-data/dishonesty.csv").headers["Last-Modified"] == stamp
    since = client.get("/open-data/dishonesty.csv", headers={"If-Modified-Since": stamp})
    assert since.status_code == 304 and since.headers["ETag"] == first.headers["ETag"]
    earlier = format_datetime(parsedate_to_datetime(stamp) - timedelta(seconds=1), usegmt=True)
    assert client.get("/open-data/dishonesty.csv",
                      headers={"If-Modified-Since": earlier}).status_code == 200
    active(db, PROJECTOR, LISTINGS).insert_one({
        "_id": "91500103MA5U7XYK4F", "uscc": "91500103MA5U7XYK4F", "status": "listed",
        "institution_name": "某养老院", "listing_id": "L-2", "ground": "g",
        "decision_no": "d", "decided_on": "2026-11-20", "listed_until": "2029-11-20"})
    changed = client.get("/open-data/dishonesty.csv", headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert parsedate_to_datetime(changed.headers["Last-Modified"]) > \
        parsedate_to_datetime(stamp)


def test_plans_and_major_hazards_are_open_data_joined_by_uscc(client, db) -> None:
    from projection.features import active
    from projection.features.fire_safety.projector import PROJECTOR as FIRE
    from projection.features.fire_safety.projector import VIEWS
    from projection.features.inspection.projector import PROJECTOR as INSPECTION
    from projection.features.inspection.views import PLANS

    u = "91500103MA5U7XYK4F"
    active(db, INSPECTION, PLANS).insert_one({
        "_id": "2026-joint-1", "title": "联合抽查", "status": "drawn",
        "departments": ["civil_affairs", "fire_rescue"], "districts": [], "items": ["a/b"],
        "created_on": "2026-11-20", "published": {"published_on": "2026-11-21",
                                                  "commitment": "cd" * 32, "objects": 3},
        "draw": {"drawn_on": "2026-11-22", "attempt": 2, "seed": "ab" * 32,
                 "tasks": [{"uscc": u}]},
        "attempts": {"1-1": {"outcome": "failed"}, "2-1": {"outcome": "drawn"}}})
    active(db, FIRE, VIEWS).insert_one({
        "_id": "FI-1", "completed": True, "institution_uscc": u, "institution_name": "某养老院",
        "inspection_date": "2026-11-02", "hazards": [
            {"hazard_id": "H-1", "level": "major", "item_title": "疏散通道", "status": "ordered",
             "deadline": "2026-12-01", "verified_on": ""},
            {"hazard_id": "H-2", "level": "general", "item_title": "灭火器", "status": "open"}]})
    plan = client.get("/open-data/inspection-plans.json").get_json()["items"][0]
    assert plan["drawn"] == u and plan["failed_attempts"] == 1 and plan["attempt"] == 2
    hazards = client.get("/open-data/major-hazards.json").get_json()
    assert [h["hazard_id"] for h in hazards["items"]] == ["H-1"]  # 挂牌督办: major only
    assert hazards["items"][0]["uscc"] == u and hazards["items"][0]["verified_on"] is None
    assert "H-1" in client.get("/open-data/major-hazards.csv").get_data(as_text=True)
