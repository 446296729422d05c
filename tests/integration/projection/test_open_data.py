"""Open data (JSON, CSV), the JSON API, and answers to bad requests (422, 404, never 500)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s


@pytest.fixture()
def directory(apply_directly):
    """25 filed institutions (odd numbers in 渝中区, even in 江北区) and one unfiled."""
    for n in range(1, 26):
        district = "500103" if n % 2 else "500105"
        data = s.filed(s.uscc(200 + n), name=f"康养中心{n:02d}", district_code=district)
        apply_directly(envelope(s.event("InstitutionFiled", data, 1, s.at("2026-02-10"))))
    apply_directly(envelope(s.event("EnterpriseRegistrationReceived",
                                    s.registration_received(s.uscc(300)), 1, s.at("2026-01-06"))))


def test_json_open_data_is_paged_with_a_total(directory, client):
    body = client.get("/open-data/institutions.json?page=3&per_page=10").get_json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (25, 3, 3, 5)
    first = client.get("/open-data/institutions.json?district=500105").get_json()
    assert first["total"] == 12 and first["items"][0]["district_name"] == "江北区"
    assert first["items"][0]["contact_phone"] == "138****5678"
    assert client.get("/open-data/institutions.json?status=all").get_json()["total"] == 26


def test_csv_has_every_matching_row_with_a_bom_and_chinese_headers(directory, client):
    resp = client.get("/open-data/institutions.csv")
    assert resp.mimetype == "text/csv" and resp.data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert table[0][:3] == ["统一社会信用代码", "机构名称", "所在区县"]
    assert len(table) == 26 and table[1][1] == "康养中心01"
    assert "13812345678" not in resp.data.decode("utf-8-sig")
    assert len(client.get("/open-data/institutions.csv?q=中心2").data.splitlines()) == 7


def test_api_lists_and_shows_institutions_without_a_token(directory, client):
    listed = client.get("/api/v1/institutions?q=康养中心0&per_page=5").get_json()
    assert listed["total"] == 9 and len(listed["items"]) == 5
    code = listed["items"][0]["uscc"]
    shown = client.get(f"/api/v1/institutions/{code}").get_json()
    assert shown["name"] == "康养中心01" and shown["operator_type_label"] == "民办非营利"
    assert shown["history"][0]["title"] == "备案" and shown["contact_name"] == "李**"
    assert shown["late"] is False and shown["version"] == 1


@pytest.mark.parametrize(("url", "field"), [
    ("/open-data/institutions.json?page=abc", "page"),
    ("/open-data/institutions.json?operator_type=state", "operator_type"),
    ("/open-data/institutions.csv?status=gone", "status"),
    ("/api/v1/institutions?per_page=1000", "per_page"),
    ("/api/v1/institutions?district=50", "district"),
    ("/api/v1/institutions/X?as_of=2026-02-30", "as_of"),
])
def test_bad_parameters_of_json_endpoints_are_422_problems_with_field_errors(client, url, field):
    resp = client.get(url)
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    assert field in resp.get_json()["errors"]


@pytest.mark.parametrize(("url", "message"), [
    ("/?page=abc", "页码：须为整数"),
    ("/?operator_type=state", "经营性质须为"),
    ("/institutions/X?as_of=not-a-date", "日期格式须为 YYYY-MM-DD"),
])
def test_bad_parameters_of_pages_get_a_chinese_message_with_422(client, url, message):
    resp = client.get(url)
    assert resp.status_code == 422 and resp.mimetype == "text/html"
    assert message in resp.get_data(as_text=True)


def test_unknown_institution_is_404_in_chinese_and_as_a_problem(client):
    page = client.get(f"/institutions/{s.uscc(999)}")
    assert page.status_code == 404 and "未找到该机构" in page.get_data(as_text=True)
    api = client.get(f"/api/v1/institutions/{s.uscc(999)}")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
    lost = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert lost.status_code == 404 and "页面不存在" in lost.get_data(as_text=True)


def test_pages_are_phone_friendly_and_load_nothing_from_other_sites(directory, client):
    html = client.get("/").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    css = client.get("/assets/site.css")
    try:
        assert css.status_code == 200 and "@media" in css.get_data(as_text=True)
    finally:
        css.close()  # a file-backed response holds the file open until closed
    assert 'id="directory"' in html and 'id="total">25<' in html
