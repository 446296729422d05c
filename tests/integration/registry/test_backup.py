"""Backup and restore (issue 13): a service's event store exported as checksummed JSON Lines
and imported into an empty store gives back every event; the public pages and open-data
files built from the restored store are byte-identical to those built from the original;
a truncated or altered file, another service's file or a store that is not empty is refused
before anything is written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from projection.bootstrap import create_app as public_site
from projection.projector import PROJECTOR, uscc_of

from shared import backup
from shared.eventstore import MongoEventStore
from shared.readside.projector import to_event
from tests.support import Projected, drop_database, projection_settings
from tests.unit.registry.builders import filing_json, make_uscc

NAMES = ("康乐", "福寿", "颐和", "松鹤", "安康")


def _file_some(call) -> list[str]:
    usccs = [make_uscc(n) for n in range(1, 6)]
    for n, uscc in enumerate(usccs):
        r = call("POST", f"/api/v1/institutions/{uscc}/filing", "civil_affairs",
                 json=filing_json(name=f"重庆市渝中区{NAMES[n]}养老院", beds=40 + n))
        assert r.status_code == 201, r.get_json()
    r = call("POST", f"/api/v1/institutions/{usccs[0]}/filing/cancellation", "civil_affairs",
             json={"reason": "停业"})
    assert r.status_code == 200, r.get_json()
    return usccs


def _pages(client, infra, unique, tag: str, store: MongoEventStore, usccs: list[str]) -> dict:
    """Every public page and open-data file of the directory, built from ``store``."""
    settings = projection_settings(infra, unique, tag)
    db = client[settings.database]
    projected = Projected(db, PROJECTOR)
    projected.prepare()
    projected.applier.apply([to_event(env, uscc_of(env)) for env in store.read_all()])
    site = public_site(settings, db=db).test_client()
    paths = ["/", "/?q=养老院", "/open-data/institutions.csv", "/open-data/institutions.json",
             "/api/v1/institutions", *(f"/institutions/{u}" for u in usccs),
             *(f"/api/v1/institutions/{u}" for u in usccs)]
    out = {p: site.get(p).get_data() for p in paths}
    drop_database(settings)
    return out


def test_a_restored_store_gives_byte_identical_public_pages(call, store, infra, unique,
                                                           mongo_client, tmp_path):
    usccs = _file_some(call)
    path = tmp_path / "registry.jsonl"
    with path.open("wb") as out:
        counts = backup.export(store.db, "registry", out, progress=False)
    assert counts["events"] == len(list(store.read_all())) >= 6
    restored_db = mongo_client[f"t_{unique}_restored_registry"]
    assert backup.restore(restored_db, "registry", path, progress=False) == counts
    restored = MongoEventStore(restored_db, "registry")
    assert [e.to_dict() for e in restored.read_all()] == [e.to_dict() for e in store.read_all()]
    assert len(restored.unpublished(1000)) == len(list(store.db["es_commits"].find({})))
    before = _pages(mongo_client, infra, unique, "bk1", store, usccs)
    after = _pages(mongo_client, infra, unique, "bk2", restored, usccs)
    assert before == after and all(before.values())
    with pytest.raises(backup.BackupInvalid, match="不是空的"):
        backup.restore(restored_db, "registry", path, progress=False)  # only into an empty one
    mongo_client.drop_database(restored_db.name)


@pytest.mark.parametrize("damage", ["truncate", "alter", "other_service"])
def test_a_damaged_or_foreign_file_is_refused_before_anything_is_written(
        call, store, mongo_client, unique, tmp_path, damage):
    _file_some(call)
    buffer = io.BytesIO()
    backup.export(store.db, "registry", buffer, progress=False)
    lines = buffer.getvalue().splitlines(keepends=True)
    if damage == "truncate":
        lines = lines[:-2] + lines[-1:]
    elif damage == "alter":
        lines[2] = lines[2].replace(b"40", b"41", 1)  # one digit of one commit
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(b"".join(lines))
    target = mongo_client[f"t_{unique}_damaged"]
    service = "escrow" if damage == "other_service" else "registry"
    with pytest.raises(backup.BackupInvalid):
        backup.restore(target, service, path, progress=False)
    assert target["es_commits"].find_one({}) is None
    assert backup.main(["verify", str(path)]) == (0 if damage == "other_service" else 1)


def test_the_command_line_exports_verifies_and_imports(call, store, settings, monkeypatch,
                                                      mongo_client, tmp_path, capsys):
    _file_some(call)
    monkeypatch.setenv("MONGODB_URI", settings.mongodb_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    path = Path(tmp_path / "cli.jsonl")
    assert backup.main(["export", "registry", str(path)]) == 0
    assert backup.main(["verify", str(path)]) == 0
    assert "ok: registry" in capsys.readouterr().out
    assert backup.main(["import", "registry", str(path)]) == 1  # the live store is not empty
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix + "copy_")
    assert backup.main(["import", "registry", str(path)]) == 0
    copy = mongo_client[f"{settings.db_prefix}copy_registry"]
    assert copy["es_commits"].count_documents({}) == store.db["es_commits"].count_documents({})
    mongo_client.drop_database(copy.name)
