"""The demo loader over real HTTP, and the scheduler entry point, on a real MongoDB."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
from registry import scheduler
from registry.app.register_enterprise import push_registrations
from registry.bootstrap import create_app
from werkzeug.serving import make_server

from devtools.demo import registry as demo
from shared.clock import FixedClock
from shared.eventstore import CommitMeta
from tests.unit.registry.builders import china_noon, record


@pytest.fixture()
def server_url(settings, store):
    app = create_app(settings=settings, store=store)  # system clock, as in production
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def counts(store) -> Counter:
    return Counter(e.name for e in store.read_all())


def test_demo_loads_through_the_api_and_a_rerun_changes_nothing(server_url, store, capsys):
    assert demo.main(["--url", server_url, "--count", "14"]) == 0
    first = counts(store)
    assert demo.main(["--url", server_url, "--count", "14"]) == 0
    assert counts(store) == first
    assert first["InstitutionFiled"] == 13 and first["InstitutionCancelled"] == 1
    assert first["EnterpriseRegistrationReceived"] == 11  # the 91… (enterprise) ones
    late = [e for e in store.read_all() if e.name == "InstitutionFiled" and e.data["late"]]
    assert len(late) == 1
    assert "already filed: 13" in capsys.readouterr().out


def test_scheduler_once_flags_an_old_unfiled_registration(settings, store, monkeypatch):
    old = FixedClock(china_noon(date(2026, 1, 5)))
    push_registrations([(0, record(1))], store=store, clock=old, meta=CommitMeta("c", "t", "t"))
    monkeypatch.setenv("MONGODB_URI", settings.mongodb_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    assert scheduler.main(["--once"]) == 0
    assert counts(store)["UnfiledOperationSuspected"] == 1
    assert scheduler.main(["--once"]) == 0
    assert counts(store)["UnfiledOperationSuspected"] == 1
