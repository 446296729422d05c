"""The fault test of issue 13, on its own platform (loopback only, bounded in time).

Under a steady load of writes (filings to the registry, supervised accounts to escrow), each
process kind is killed with SIGKILL at least once: the broker, the database, a relay, the
projection consumer, a web worker and a scheduler; make run's supervisor
(Stack.restart_dead) restarts them with back-off. A write counts as acknowledged when the
API answered 2xx; a client retries anything else with the same Idempotency-Key, as a
careful client does. Afterwards: every acknowledged write is stored exactly once (lost 0,
doubled 0), the public directory shows every acknowledged filing within 30 s of the last
fault, and every read model equals a rebuild of itself from its inbox.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests

from devtools.devstack.stack import Stack
from shared.eventstore import MongoEventStore
from tests.e2e.conftest import bearer, filing, make_uscc

FAULTS = ("registry-relay", "kafka", "projection-consumer", "registry-web-worker",
          "mongodb", "registry-scheduler", "escrow-relay")


class Load:
    """Writers that keep writing until told to stop; each write is retried with its key
    until the API acknowledges it."""

    def __init__(self, st: Stack) -> None:
        self.st, self.stop = st, threading.Event()
        self.acked: dict[str, list[str]] = {"filing": [], "account": []}
        self.attempts = Counter[str]()
        self.serial = 0
        self.lock = threading.Lock()

    def _next(self) -> int:
        with self.lock:
            self.serial += 1
            return self.serial

    def _send(self, kind: str, url: str, body: dict, role: str, uscc: str) -> None:
        key = uuid.uuid4().hex
        while not self.stop.is_set() or self.attempts[uscc] < 400:
            self.attempts[uscc] += 1
            try:
                r = requests.post(url, json=body, timeout=5,
                                  headers={**bearer(self.st, role), "Idempotency-Key": key})
                if 200 <= r.status_code < 300:
                    with self.lock:
                        self.acked[kind].append(uscc)
                    return
            except (requests.RequestException, Exception):  # noqa: BLE001 - retry, same key
                pass
            time.sleep(0.3)

    def wait_for_progress(self, writes: int, timeout: float = 60.0) -> None:
        """Until ``writes`` more writes than now are acknowledged (the platform took writes
        again after a fault), or fail at the deadline."""
        def done() -> int:
            with self.lock:
                return sum(map(len, self.acked.values()))

        target, deadline = done() + writes, time.monotonic() + timeout
        while done() < target:
            assert time.monotonic() < deadline, f"no {writes} writes acknowledged in {timeout} s"
            time.sleep(0.1)

    def writer(self) -> None:
        while not self.stop.is_set():
            n = self._next()
            uscc = make_uscc(700000 + n)
            self._send("filing", f"{self.st.urls['registry']}/api/v1/institutions/{uscc}/filing",
                       filing(f"重庆市渝中区故障测试养老院{n}号"), "civil_affairs", uscc)
            if n % 3 == 0:
                self._send("account", f"{self.st.urls['escrow']}/api/v1/institutions/{uscc}"
                                      "/account",
                           {"jurisdiction": "chongqing", "bank": "重庆银行",
                            "account_number": f"62220000{n:08d}",
                            "custody_agreement_id": f"CQ-AG-F{n}"}, "civil_affairs", uscc)


def _kill(st: Stack, what: str) -> None:
    if what in ("kafka", "mongodb"):
        assert st.infra is not None
        proc = st.infra.procs[0 if what == "mongodb" else 1]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        return
    if what == "registry-web-worker":  # the gunicorn worker, not its master
        children = subprocess.run(["pgrep", "-P", str(st.procs["registry"].pid)],
                                  capture_output=True, text=True).stdout.split()
        assert children, "no gunicorn worker found"
        os.kill(int(children[0]), signal.SIGKILL)
        return
    st.kill(what)


def _quiet(st: Stack, timeout: float = 90.0) -> None:
    """Until no relay has a backlog, every consumer group is level with every relay, and
    the relays' positions stayed the same for three looks a second apart."""
    seen: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = requests.get(f"{st.urls['projection']}/ops/status", timeout=10,
                              headers=bearer(st, "civil_affairs")).json()
        heads = {s: r["position"] for s, r in status["relays"].items()}
        level = all(r["backlog"] == 0 for r in status["relays"].values()) and all(
            c["behind_seconds"] == 0 for c in status["consumers"])
        seen = [*seen[-2:], heads] if level else []
        if len(seen) == 3 and seen[0] == seen[1] == seen[2]:
            return
        time.sleep(1)
    raise AssertionError(f"the pipeline did not settle within {timeout} s")


@pytest.mark.timeout(600)
def test_kill_9_of_every_process_kind_loses_and_doubles_nothing(tmp_path: Path, capsys):
    st = Stack(tmp_path / "faults", demo=False, overrides={
        "ELDERCARE_IDEMPOTENCY_PENDING_SECONDS": "5", "ELDERCARE_LEASE_SECONDS": "3"})
    st.start()
    supervising = threading.Event()

    def supervise() -> None:
        while not supervising.wait(0.5):
            st.restart_dead()

    load = Load(st)
    threads = [threading.Thread(target=load.writer, daemon=True) for _ in range(2)]
    supervisor = threading.Thread(target=supervise, daemon=True)
    try:
        supervisor.start()
        for t in threads:
            t.start()
        load.wait_for_progress(20)  # the load runs before the first fault
        injected = Counter[str]()
        for what in FAULTS:
            _kill(st, what)
            injected[what] += 1
            load.wait_for_progress(10)  # writes acknowledged again: recovered, under load
        last_fault = time.monotonic()
        load.wait_for_progress(10)
        load.stop.set()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads), "writers still retrying"
        acked = list(load.acked["filing"])
        assert len(acked) >= 10, load.acked

        def converged() -> bool:
            r = requests.get(f"{st.urls['projection']}/api/v1/institutions",
                             params={"per_page": 100, "q": "故障测试"}, timeout=5)
            return r.ok and r.json()["total"] == len(acked)

        deadline = last_fault + 120
        while not converged():
            assert time.monotonic() < deadline, "the public directory did not converge"
            time.sleep(0.5)
        converge_s = time.monotonic() - last_fault

        # lost 0, doubled 0: each acknowledged write is in its store exactly once
        from pymongo import MongoClient

        client = MongoClient(st.infra.mongo_uri, tz_aware=True)  # type: ignore[union-attr]
        filed = Counter(e.data["uscc"] for e in MongoEventStore(
            client["eldercare_registry"], "registry").read_all() if e.name == "InstitutionFiled")
        opened = Counter(e.data["institution_uscc"] for e in MongoEventStore(
            client["eldercare_escrow"], "escrow").read_all() if e.name == "EscrowAccountOpened")
        lost = [u for u in acked if filed[u] == 0] + \
            [u for u in load.acked["account"] if opened[u] == 0]
        doubled = [u for c in (filed, opened) for u, n in c.items() if n > 1]
        assert lost == [] and doubled == []

        # every read model equals a rebuild of itself from its inbox, once the whole
        # pipeline is quiet (services consuming others' events, e.g. credit, included)
        _quiet(st)
        from projection.projections import PROJECTORS

        from shared.readside.mongo import MongoReadStore
        from shared.readside.rebuild import rebuild

        store = MongoReadStore(client["eldercare_projection"])

        def documents(p, generation: int) -> dict:
            return {c: sorted(store.all_docs(p, generation, c), key=lambda d: str(d["_id"]))
                    for c in p.collections}

        differing = []
        for p in PROJECTORS:
            before = documents(p, store.active(p)[0])
            after = documents(p, rebuild(store, p, progress=False, keep=True, settle=0))
            differing += [(p.name, c, len(before[c]), len(after[c])) for c in p.collections
                          if after[c] != before[c]]
        assert differing == []
        client.close()
        with capsys.disabled():
            print(f"\nfault test: writes acknowledged {len(acked)} filings + "
                  f"{len(load.acked['account'])} accounts; faults injected "
                  f"{dict(injected)}; lost {len(lost)}, doubled {len(doubled)}; "
                  f"public pages converged {converge_s:.1f} s after the last fault")
        assert converge_s <= 30
    finally:
        load.stop.set()
        supervising.set()
        st.stop()
