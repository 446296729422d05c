"""Fire-safety events on Kafka show on the public and regulator pages; rebuild equals live."""

from __future__ import annotations

from datetime import date

from projection.features.fire_safety.projector import INBOX, PROJECTOR, VIEWS

from tests.integration.projection.helpers import wait_until
from tests.integration.projection_fire_safety.conftest import HAZARD, LIGHTS, USCC
from tests.signer import mint
from tests.support import Projected


def _version(db, inspection_id="FI-P1") -> int:
    doc = Projected(db, PROJECTOR)[VIEWS].find_one({"_id": inspection_id}, {"_v": 1})
    return int(doc["_v"]) if doc else 0


def _sync(service, publish, db):
    envs = service.take()
    publish(envs)
    target = max(e.stream_version for e in envs if e.subject == "fireinspection-FI-P1")
    wait_until(lambda: _version(db) >= target)


def _regulator(client, settings, role="fire_rescue"):
    token = mint("fr-001", role)
    return client.get("/fire-safety/regulator", headers={"Authorization": f"Bearer {token}"})


def test_inspection_to_overdue_to_verified_shows_on_every_page(
        service, publish, live, db, client, settings, page_clock):
    service.inspect()
    _sync(service, publish, db)
    html = client.get(f"/fire-safety/institutions/{USCC}").get_data(as_text=True)
    assert 'id="last-inspection">2026-11-23<' in html
    assert 'id="open-major">1<' in html and 'id="open-general">1<' in html
    assert f'data-uscc="{USCC}"' in client.get("/fire-safety/").get_data(as_text=True)
    reg = _regulator(client, settings).get_data(as_text=True)
    assert "送达整改通知" in reg and "2026-11-26" in reg

    service.order()
    service.order(LIGHTS, 10)
    service.check(date(2026, 12, 1))
    _sync(service, publish, db)
    html = client.get(f"/fire-safety/institutions/{USCC}").get_data(as_text=True)
    assert html.count('class="overdue-item"') == 1 and "逾期未整改" in html
    page_clock.set(page_clock.now().replace(day=1, month=12))
    reg = _regulator(client, settings).get_data(as_text=True)
    overdue_part = reg.split('id="overdue-list"')[1].split('id="due-list"')[0]
    assert f'data-hazard="{HAZARD}"' in overdue_part
    due_part = reg.split('id="due-list"')[1]
    assert f'data-hazard="{LIGHTS}"' in due_part and "2026-12-07" in due_part

    service.verify(date(2026, 12, 1))
    _sync(service, publish, db)
    html = client.get(f"/fire-safety/institutions/{USCC}").get_data(as_text=True)
    assert 'id="open-major">0<' in html and 'class="overdue-item"' not in html
    assert f'data-uscc="{USCC}"' not in client.get("/fire-safety/").get_data(as_text=True)


def test_the_regulator_view_needs_a_fire_or_civil_affairs_login(client, settings):
    assert client.get("/fire-safety/regulator").status_code == 401
    assert _regulator(client, settings, "finance").status_code == 403
    assert _regulator(client, settings, "civil_affairs").status_code == 200


def test_public_pages_show_no_people(service, publish, live, db, client):
    service.inspect()
    _sync(service, publish, db)
    html = client.get(f"/fire-safety/institutions/{USCC}").get_data(as_text=True)
    assert "fr-001" not in html and "fr-chief" not in html


def test_an_unknown_institution_has_no_record_and_a_bad_code_is_404(client):
    assert client.get(f"/fire-safety/institutions/{USCC}").status_code == 200
    assert client.get("/fire-safety/institutions/123").status_code == 404


def test_a_redelivered_event_changes_nothing_and_rebuild_equals_live(
        service, publish, live, db):
    service.inspect()
    service.order()
    envs = service.take()
    publish(envs)
    wait_until(lambda: _version(db) >= envs[-1].stream_version)
    publish(envs[3:6])  # the relay re-publishes after a crash
    service.check(date(2026, 12, 1))
    more = service.take()
    publish(more)
    wait_until(lambda: _version(db) >= more[-1].stream_version)
    projected = Projected(db, PROJECTOR)
    live_docs = list(projected[VIEWS].find({}))
    assert sum(d["n"] for d in db[INBOX].find({})) == len(envs) + len(more)  # kept once
    assert projected.rebuild() == 2
    assert list(projected[VIEWS].find({})) == live_docs and len(live_docs) == 1
