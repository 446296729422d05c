"""The whole platform on one machine: embedded infra, web apps, relays, consumers.

Used by `make run` (fixed ports, ./data) and by e2e tests and benchmarks (free ports,
a temporary folder). Processes are started in their own sessions and stopped by pid.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devtools.devstack import identity_dev
from devtools.devstack import infra as infra_mod
from devtools.devstack.dev_oidc import KEYS_DIR_ENV, DevSigner
from shared import kafka
from shared.config import DEAD_LETTER_TOPIC, SERVICE_PORTS, Settings

log = logging.getLogger("devstack")
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Timeout)\b")
ROOT = Path(__file__).resolve().parents[2]
DEMOS = ROOT / "devtools" / "demo"


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    args: list[str]
    port: int | None = None  # HTTP port with /healthz
    metrics_port: int | None = None  # METRICS_PORT of a relay or consumer


def complaints_secrets(data_dir: Path) -> str:
    """<data>/complaints/secrets.json (0600): made once, kept across restarts (a new one
    would make every stored complaint's personal data unreadable)."""
    from complaints.app.secrets import write_new

    path = data_dir / "complaints" / "secrets.json"
    write_new(path)
    return str(path)


def translog_key(data_dir: Path) -> str:
    """<data>/translog/signing-key.json (0600): made once; its verifier key is printed by
    ``python -m translog.keys public --file <it>``."""
    from translog.keys import write_new

    path = data_dir / "translog" / "signing-key.json"
    write_new(path)
    return str(path)


def gunicorn(factory: str, port: int) -> list[str]:
    """One worker, 8 threads: Prometheus metrics stay in one process (deploy/gunicorn)."""
    return ["-m", "gunicorn", factory, "--bind", f"127.0.0.1:{port}", "--worker-class",
            "gthread", "--workers", "1", "--threads", "8", "--graceful-timeout", "5",
            "--log-level", "warning", "--no-control-socket"]


def discover_services() -> list[str]:
    """services/<name>/<name>/ packages, write services first and projection last."""
    names = sorted(p.name for p in (ROOT / "services").iterdir()
                   if (p / p.name / "bootstrap.py").exists())
    first = [n for n in ("identity",) if n in names]  # the token issuer before its users
    last = [n for n in ("projection",) if n in names]
    return first + [n for n in names if n not in first + last] + last


def write_services() -> list[str]:
    """Services that own an event store, a topic and a relay."""
    return [s for s in discover_services() if (ROOT / "services" / s / s / "relay.py").exists()]


def process_specs(ports: dict[str, int]) -> list[ProcessSpec]:
    """Every process of the platform, in start order (found from each service's modules)."""
    specs = []
    for svc in discover_services():
        pkg = ROOT / "services" / svc / svc
        specs.append(ProcessSpec(svc, gunicorn(f"{svc}.bootstrap:create_app()", ports[svc]),
                                 ports[svc], metrics_port=ports.get(f"{svc}-web-metrics")))
        for role in ("relay", "scheduler", "consumer"):
            if (pkg / f"{role}.py").exists():
                specs.append(ProcessSpec(f"{svc}-{role}", ["-m", f"{svc}.{role}"],
                                         metrics_port=ports.get(f"{svc}-{role}-metrics")))
    return specs


@dataclass
class Stack:
    """Start with ``with Stack(data_dir) as st:``; ``st.urls`` names each web service."""

    data_dir: Path
    demo: bool | None = None  # None: load demo data only into an empty data folder
    kafka_port: int | None = None
    mongo_port: int | None = None
    ports: dict[str, int] | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # extra env for every process
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    infra: infra_mod.Infra | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.log_dir = self.data_dir / "logs"
        if self.ports is None:
            self.ports = {s: infra_mod.free_port() for s in port_names()}
        self.urls = {s: f"http://127.0.0.1:{p}" for s, p in self.ports.items()}
        self.env: dict[str, str] = {}
        self.officials: list[tuple[str, str, str]] = []  # the console's demo officials
        self._backoff: dict[str, tuple[float, float]] = {}  # name -> (delay, not before)
        self._started: dict[str, float] = {}

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        fresh = not (self.data_dir / "mongo").exists()
        self.signer = DevSigner(self.data_dir / "dev-oidc")
        self.infra = self._start_infra()
        self.env = {**os.environ, "MONGODB_URI": self.infra.mongo_uri,
                    "KAFKA_BOOTSTRAP_SERVERS": self.infra.kafka,
                    **self.signer.env(), KEYS_DIR_ENV: str(self.signer.folder),
                    **{f"ELDERCARE_{n.upper()}_PUBLIC_URL": u for n, u in self.urls.items()
                       if not n.endswith("-metrics")},
                    # every service trusts the identity service's tokens (its JWKS)
                    **identity_dev.prepare(self.data_dir / "identity", self.urls),
                    # the complaints service's keys (the data keys' master key among them)
                    "COMPLAINTS_SECRETS_FILE": complaints_secrets(self.data_dir),
                    # the transparency log's checkpoint signing key
                    "TRANSLOG_KEY_FILE": translog_key(self.data_dir),
                    "ELDERCARE_TRANSLOG_CHECKPOINT_SECONDS": os.environ.get(
                        "ELDERCARE_TRANSLOG_CHECKPOINT_SECONDS", "2"),
                    # every client here is 127.0.0.1: one tester's polling and a reader's
                    # clicks share it, so the public site allows more than in production
                    "ELDERCARE_PUBLIC_RATE_LIMIT": os.environ.get(
                        "ELDERCARE_PUBLIC_RATE_LIMIT", DEV_PUBLIC_RATE),
                    **self.overrides}
        self._prepare_topics()
        assert self.ports is not None
        for spec in process_specs(self.ports):
            for port in (spec.port, spec.metrics_port):
                if port:
                    infra_mod.require_free(port, spec.name)
        for spec in process_specs(self.ports):
            self._spawn(spec)
        for spec in process_specs(self.ports):
            if spec.port:
                self._wait_healthy(spec)
        self.admin = identity_dev.first_admin(self.data_dir / "identity", self.env)
        self.tokens = identity_dev.IdentityTokens(self.env)
        self.officials = identity_dev.demo_officials(self.tokens)
        if self.demo or (self.demo is None and fresh):
            self.load_demo()

    def stop(self) -> None:
        procs = [self.procs.pop(name) for name in reversed(list(self.procs))]
        infra_mod.stop_processes(procs)
        if self.infra is not None:
            self.infra.stop()
            self.infra = None

    # -- pieces ------------------------------------------------------------------------------
    def _start_infra(self) -> infra_mod.Infra:
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
            return infra_mod.Infra(os.environ["KAFKA_BOOTSTRAP_SERVERS"],
                                   os.environ["MONGODB_URI"], "external servers")
        return infra_mod.start_embedded(
            self.data_dir / "mongo", self.kafka_port or infra_mod.free_port(),
            self.mongo_port or infra_mod.free_port(), self.log_dir)

    def _prepare_topics(self) -> None:
        """Create topics; a service topic the broker forgot gets re-published from its store."""
        from shared.eventstore import MongoEventStore
        from shared.mongo import database
        from shared.relay import resync_if_broker_forgot

        partitions = int(self.env.get("TOPIC_PARTITIONS", "3"))
        kafka.ensure_topics(self.env["KAFKA_BOOTSTRAP_SERVERS"], [DEAD_LETTER_TOPIC], partitions)
        for service in write_services():
            settings = Settings.from_env(service, self.env)
            store = MongoEventStore(database(settings), service)
            store.ensure_indexes()
            resync_if_broker_forgot(settings, store)  # logs what it queued again

    def _spawn(self, spec: ProcessSpec) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = {**self.env, **({"METRICS_PORT": str(spec.metrics_port)}
                              if spec.metrics_port else {})}
        with open(self.log_dir / f"{spec.name}.log", "ab") as out:
            self.procs[spec.name] = subprocess.Popen(
                [sys.executable, *spec.args], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    def _wait_healthy(self, spec: ProcessSpec, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{spec.port}/healthz"
        while time.monotonic() < deadline:
            if self.procs[spec.name].poll() is not None:
                raise RuntimeError(f"{spec.name} exited; see {self.log_dir / spec.name}.log")
            try:
                if requests.get(url, timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{spec.name} not healthy after {timeout}s")

    def restart_dead(self) -> list[str]:
        """One turn of the supervisor of make run: start again whatever died, the database
        and the broker first, each with back-off (1 s doubling to 30 s while it keeps dying
        within a minute of its start); one line per restart on stdout. Returns what was
        restarted."""
        assert self.ports is not None
        now = time.monotonic()
        restarted = []
        for name, proc, again in self._supervised():
            if proc.poll() is None:
                if now - self._started.get(name, now) > STABLE:
                    self._backoff.pop(name, None)  # ran long enough: forgive earlier deaths
                continue
            delay, not_before = self._backoff.get(name, (0.0, 0.0))
            if now < not_before:
                continue
            delay = min(MAX_BACKOFF, delay * 2 or 1.0)
            self._backoff[name] = (delay, now + delay)
            try:
                again()
            except Exception as exc:  # noqa: BLE001 - the port still taken ...: retry later
                print(f"supervisor: {name} could not be restarted ({exc}); next try in "
                      f"{delay:.0f} s", flush=True)
                continue
            self._started[name] = time.monotonic()
            restarted.append(name)
            why = self.last_error(name) if proc.returncode else ""
            print(f"supervisor: restarted {name} (it exited with {proc.returncode}"
                  f"{': ' + why if why else ''}); back-off now {delay:.0f} s", flush=True)
        return restarted

    def last_error(self, name: str) -> str:
        """The last exception line of a process's log (what made it exit), or ''."""
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        with open(path, "rb") as f:
            f.seek(max(0, path.stat().st_size - 20000))
            tail = f.read().decode("utf-8", "replace").splitlines()
        found = [line for line in tail if _EXCEPTION.match(line)]
        return found[-1][:300] if found else ""

    def _supervised(self) -> list[tuple[str, subprocess.Popen, Any]]:
        """(name, process, how to start it again): embedded database and broker first."""
        assert self.ports is not None
        out: list[tuple[str, subprocess.Popen, Any]] = []
        if self.infra is not None and len(self.infra.procs) == 2:
            out.append(("mongodb", self.infra.procs[0], self._restart_mongo))
            out.append(("kafka", self.infra.procs[1], self._restart_kafka))
        for spec in process_specs(self.ports):
            if spec.name in self.procs:
                out.append((spec.name, self.procs[spec.name],
                            lambda spec=spec: self._spawn(spec)))
        return out

    def _restart_mongo(self) -> None:
        assert self.infra is not None
        port = int(self.infra.mongo_uri.rsplit(":", 1)[1].split("/", 1)[0])
        self.infra.procs[0] = infra_mod.start_mongo(self.data_dir / "mongo", port,
                                                    self.log_dir)

    def _restart_kafka(self) -> None:
        """An empty broker on the same port: the relays notice it forgot their topics and
        publish every commit again (resync_if_broker_forgot); consumers rejoin by themselves."""
        assert self.infra is not None
        port = int(self.infra.kafka.rsplit(":", 1)[1])
        self.infra.procs[1] = infra_mod.start_kafka(port, self.log_dir)

    def restart_broker(self) -> None:
        """Kill the embedded broker and start an empty one on the same port (failure tests)."""
        assert self.infra is not None and len(self.infra.procs) == 2, "embedded broker only"
        infra_mod.stop_process(self.infra.procs[1])
        self._restart_kafka()

    def kill(self, name: str) -> None:
        """kill -9 one process (crash tests)."""
        p = self.procs[name]
        p.kill()
        p.wait(10)

    def respawn(self, name: str) -> None:
        assert self.ports is not None
        self._spawn(next(s for s in process_specs(self.ports) if s.name == name))

    def load_demo(self) -> None:
        """Run every service's demo (``devtools.demo.<svc>``) through its own API, then wait
        until the registry's part is public.

        Registry first (the others use its institutions), then inspection, fire_safety,
        credit, escrow, then any other service with a devtools/demo/<svc>.py. A demo that
        fails is logged and named in ``self.demo_failures`` and the platform starts anyway;
        tests assert that the list is empty.
        """
        first = ["registry", "inspection", "fire_safety", "credit", "escrow"]
        found = [s for s in discover_services() if (DEMOS / f"{s}.py").exists()]
        self.demo_failures: list[str] = []
        for svc in [s for s in first if s in found] + [s for s in found if s not in first]:
            args = [sys.executable, "-m", f"devtools.demo.{svc}", "--url", self.urls[svc]]
            if svc != "registry":
                args += ["--registry-url", self.urls["registry"]]
            started = time.monotonic()
            try:
                code = subprocess.run(args, cwd=ROOT, env=self.env, timeout=600).returncode
            except subprocess.TimeoutExpired:
                code = -1
            if code == 0:
                log.info("demo data of %s loaded in %.1fs", svc, time.monotonic() - started)
                continue
            self.demo_failures.append(svc)
            log.error("DEMO DATA OF %s FAILED (exit %s after %.1fs); the platform starts "
                      "without it. Retry: %s -m devtools.demo.%s --url %s", svc.upper(), code,
                      time.monotonic() - started, sys.executable, svc, self.urls[svc])
        if "registry" not in self.demo_failures:
            self.wait_until_public_settles()

    def wait_until_public_settles(self, timeout: float = 60.0) -> int:
        """Poll the public directory until its size stops changing; return that size."""
        url = f"{self.urls['projection']}/open-data/institutions.json"
        seen: list[int] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen.append(requests.get(url, params={"status": "all"}, timeout=5).json()["total"])
            if len(seen) > 5 and seen[-1] > 0 and len(set(seen[-5:])) == 1:
                return seen[-1]
            time.sleep(0.3)
        raise TimeoutError(f"public directory still changing after {timeout}s: {seen[-5:]}")

    def token(self, role: str, sub: str = "") -> str:
        """A national demo official's token of ``role``, signed in at the identity service."""
        return self.tokens.official(sub, role) if sub else self.tokens(role)


DEV_PUBLIC_RATE = "50 per second"
STABLE, MAX_BACKOFF = 60.0, 30.0  # supervisor: a process alive this long starts afresh
PUBLIC_METRICS = "projection-web-metrics"  # the public site serves no /metrics on its port


def port_names() -> list[str]:
    """Web ports per service plus metrics ports of relays and consumers (and of the public
    site's web process)."""
    names = [*discover_services(), PUBLIC_METRICS]
    for svc in names[:]:
        for role in ("relay", "consumer"):
            if (ROOT / "services" / svc / svc / f"{role}.py").exists():
                names.append(f"{svc}-{role}-metrics")
    return names


def default_port(name: str) -> int:
    """DESIGN.md's ports for web services; 9101.. for metrics, in a stable order."""
    if name in SERVICE_PORTS:
        return SERVICE_PORTS[name]
    if name == PUBLIC_METRICS:
        return 9100
    metrics = sorted(n for n in port_names() if n.endswith("-metrics") and n != PUBLIC_METRICS)
    return 9101 + metrics.index(name)


def fixed_ports() -> dict[str, int]:
    """make run: the ports of DESIGN.md, each overridable (REGISTRY_PORT, PROJECTION_PORT...)."""
    return {s: int(os.environ.get(f"{s.upper().replace('-', '_')}_PORT", default_port(s)))
            for s in port_names()}
