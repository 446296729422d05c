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
