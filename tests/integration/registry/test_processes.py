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


def test_two_schedulers_one_checks_and_the_standby_takes_over_a_kill(settings, store, tmp_path):
    """Two `python -m registry.scheduler` processes: one holds the scheduler lease and runs
    the checks; kill -9 of it and the other holds it within seconds (lease 2 s)."""
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "MONGODB_URI": settings.mongodb_uri, "DB_PREFIX": settings.db_prefix,
           "ELDERCARE_LEASE_SECONDS": "2", "ELDERCARE_UNFILED_CHECK_SECONDS": "1"}
    log = (tmp_path / "schedulers.log").open("w")
    procs = [subprocess.Popen([sys.executable, "-m", "registry.scheduler"], env=env,
                              stdout=log, stderr=log) for _ in range(2)]
    leases = store.db["leases"]

    def holder(timeout: float = 20.0, other_than: str = "") -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            doc = leases.find_one({"_id": "registry.scheduler"})
            if doc and doc["holder"] != other_than and doc["expires"] > time.time():
                return str(doc["holder"])
            time.sleep(0.1)
        raise AssertionError("no scheduler holds the lease")

    try:
        first = holder()
        active = next(p for p in procs if f":{p.pid}:" in first)
        active.kill()
        active.wait()
        killed = time.monotonic()
        second = holder(other_than=first)
        took = time.monotonic() - killed
        standby = next(p for p in procs if p is not active)
        assert f":{standby.pid}:" in second and took < 5, (second, took)
        assert standby.poll() is None  # it ran on as the active one
    finally:
        for p in procs:
            p.kill()
            p.wait()
        log.close()
