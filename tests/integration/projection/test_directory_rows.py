"""The CSV download streams the lines kept per institution, with the bytes formatting the
documents gives, for every filter; a generation without a row per institution falls back."""

from __future__ import annotations

import random

import pytest
from projection.adapters import generations
from projection.adapters.directory import PublicDirectory
from projection.domain.directory import DirectoryQuery
from projection.projector import ROWS
from projection.rebuild import rebuild

from shared.readside.store import physical
from tests.integration.projection.helpers import envelope
from tests.integration.projection.test_directory_reads import old_way
from tests.unit.projection import samples as s
from tests.unit.projection.test_csv_stream import old_to_csv

FILTERS = ["", "?status=all", "?status=cancelled", "?district=500103", "?operator_type=public",
           "?district=500103&status=all&operator_type=private_profit"]


def queries() -> list[DirectoryQuery]:
    return [DirectoryQuery(), DirectoryQuery(status="all"), DirectoryQuery(status="cancelled"),
            DirectoryQuery(district="500103"), DirectoryQuery(operator_type="public"),
            DirectoryQuery(district="500103", status="all", operator_type="private_profit")]


@pytest.fixture()
def institutions(apply_directly):
    """Institutions at different points of their life, some renamed, some with formula-like
    and quoted names, in random order of streams."""
    rnd, events = random.Random(5), []
    for n in range(40):
        code = s.uscc(200 + n)
        kind = rnd.random()
        name = rnd.choice(["=SUM(A1)", '夕阳"红"养老院', "康乐,颐养中心", f"福寿园{n}"])
        district = rnd.choice(["500103", "500105"])
        operator = rnd.choice(["public", "private_profit", "private_nonprofit"])
        lifecycle = [s.event("EnterpriseRegistrationReceived", s.registration_received(code), 1,
                             s.at("2026-01-06"))]
        if kind < 0.9:
            lifecycle.append(s.event("InstitutionFiled", s.filed(
                code, name=name, district_code=district, operator_type=operator), 2,
                s.at("2026-02-10")))
        if kind < 0.3:
            lifecycle.append(s.event("InstitutionCancelled", s.cancelled(code), 3,
                                     s.at("2026-06-30")))
        events.append(lifecycle)
    rnd.shuffle(events)
    apply_directly(*[envelope(e) for lifecycle in events for e in lifecycle])


def test_the_download_streams_the_kept_lines_with_the_formatted_bytes(db, client, institutions):
    directory, coll = PublicDirectory(lambda: db), generations.active_collection(db)
    for query, url in zip(queries(), FILTERS, strict=True):
        if query.operator_type is None:  # the downloads the page offers: the rows answer
            assert directory.csv_lines(query) is not None
        body = client.get(f"/open-data/institutions.csv{url}").get_data()
        assert body == old_to_csv(old_way(coll, query)), url
    assert directory.csv_lines(DirectoryQuery(q="福寿")) is None  # searches read documents


def test_a_generation_missing_rows_is_downloaded_from_the_documents(db, client, institutions):
    coll = generations.active_collection(db)
    rows = db[physical(ROWS, generations.active_generation(db))]
    rows.delete_one({"_id": s.uscc(201)})  # as an old generation: rows of changed ones only
    assert PublicDirectory(lambda: db).csv_lines(DirectoryQuery()) is None
    for query, url in zip(queries(), FILTERS, strict=True):
        body = client.get(f"/open-data/institutions.csv{url}").get_data()
        assert body == old_to_csv(old_way(coll, query)), url


def test_a_rebuild_writes_the_same_rows(db, institutions):
    old = generations.active_generation(db)
    new = rebuild(db, progress=False, keep=True, settle=0)
    before = list(db[physical(ROWS, old)].find({}).sort("_id", 1))
    assert len(before) == 40
    assert list(db[physical(ROWS, new)].find({}).sort("_id", 1)) == before
