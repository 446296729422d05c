"""The deployment files, read as data: what the production shape promises.

They are rendered from devtools/deploy/topology.py; these tests hold the invariants over the
rendered files (and over the access table) rather than over one service: no database or broker
port is published; no secret has a default; every process mounts only its own secrets; only a
service's relay may write its topic; each MongoDB user reaches its own databases only; every
long-running container restarts by policy, has resource limits and enough replicas; the
override for machines without a registry says what the stand-ins cannot honour."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from devtools.deploy import render
from devtools.deploy import topology as t

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
STANDINS = ROOT / "deploy" / "docker-compose.standins.yml"
SECRET_WORDS = ("SECRET", "PASSWORD", "KEY", "TOKEN", "OIDC_ISSUER", "OIDC_JWKS",
                "REPLICATION", "INSYNC", "CLUSTER_ID")


def _compose(path: Path = COMPOSE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _apps() -> dict[str, dict]:
    return {n: s for n, s in _compose()["services"].items()
            if str(s.get("image", "")).startswith("eldercare/app")}


def test_committed_files_are_what_the_topology_renders() -> None:
    for rel, make in render.FILES.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == make(), \
            f"{rel} is stale: python -m devtools.deploy.render"


def test_only_the_gateway_publishes_ports_and_on_a_configurable_address() -> None:
    services = _compose()["services"]
    for name, svc in services.items():
        if name == "gateway":
            assert all(p.startswith("${PUBLISH_ADDRESS:-127.0.0.1}:") for p in svc["ports"])
            assert len(svc["ports"]) == len(t.SERVICES)
        else:
            assert not svc.get("ports"), f"{name} publishes a port on the host"


def test_no_secret_has_a_default() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    found = 0
    for m in re.finditer(r"\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}", text):
        name, op = m.group(1), m.group(2) or ""
        if any(w in name for w in SECRET_WORDS) or name.endswith("_DIR"):
            found += 1
            assert op.endswith("?") and m.group(3).strip(), \
                f"${{{name}}} has a default or no message: {m.group(0)}"
    assert found > 5


def test_every_process_mounts_only_its_own_secrets() -> None:
    for name, svc in _apps().items():
        env = svc["environment"]
        principal = env["KAFKA_SASL_USERNAME"]
        parts = [v.rsplit(":", 2) for v in svc.get("volumes", [])]  # source:target:ro
        assert all(len(p) == 3 and p[2] == "ro" for p in parts), f"{name}: writable mount"
        sources, mounts = [p[0] for p in parts], [p[1] for p in parts]
        assert "/run/secrets/eldercare" in mounts, name
        own = [s for s, m in zip(sources, mounts, strict=True) if m == "/run/secrets/eldercare"]
        assert own == [f"{render.SECRETS}/services/{principal}"], name
        assert env["MONGODB_USERNAME"] == principal.removesuffix("-relay"), name
        assert principal.endswith("-relay") == name.endswith("-relay"), \
            f"{name} runs as {principal}: only relays use the relay principal"
        for extra in [m for m in mounts if m != "/run/secrets/eldercare"]:
            folder = extra.removeprefix("/run/secrets/")
            assert folder in t.BY_NAME[env["MONGODB_USERNAME"]].secrets, (name, folder)


def test_clients_use_sasl_ssl_and_mongodb_credentials_from_files() -> None:
    for name, svc in _apps().items():
        env = svc["environment"]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL", name
        assert env["KAFKA_SASL_PASSWORD_FILE"].startswith("/run/secrets/eldercare/"), name
        assert env["MONGODB_PASSWORD_FILE"].startswith("/run/secrets/eldercare/"), name
        assert not any(k.endswith(("_PASSWORD", "_SECRET")) for k in env), name


def test_only_a_services_relay_may_write_its_topic() -> None:
    acls = t.kafka_acls()
    writes = {(a.principal, a.name) for a in acls if a.operation == "Write"}
    for topic in t.topics():
        writers = {p for p, n in writes if n == topic}
        if topic == t.DEAD_LETTER:
            assert all(not p.endswith("-relay") for p in writers)
            continue
        svc = topic.split(".")[1]
        assert writers == {f"{svc}-relay"}, (topic, writers)
    for a in acls:  # nothing on the cluster, no wildcard, no Alter/Delete/All
        assert a.operation in ("Read", "Write", "Describe", "Create")
        assert a.resource in ("topic", "group")
        assert a.name != "*" and (not a.prefixed or a.resource == "group")
        if a.operation == "Create":  # only a relay, only its own topic and marker
            svc = a.principal.removesuffix("-relay")
            assert a.principal.endswith("-relay")
            assert a.name in (t.topic(svc), t.marker(svc)), a
    for a in acls:
        if a.resource == "group":
            assert a.name == a.principal and a.operation == "Read"


def test_every_relay_may_describe_and_create_its_marker_and_kafka_init_never_makes_it() -> None:
    """The relay lists topics it may describe; a marker it cannot see reads as "the broker
    lost everything" and would re-publish the whole event store on every check."""
    acls = t.kafka_acls()
    script = (ROOT / "deploy/kafka/init-security.sh").read_text(encoding="utf-8")
    created = next(line for line in script.splitlines() if line.startswith("for topic in "))
    for s in t.SERVICES:
        if s.relay:
            ops = {a.operation for a in acls if a.principal == f"{s.name}-relay"
                   and a.name == t.marker(s.name)}
            assert ops == {"Describe", "Create"}, s.name
            assert t.marker(s.name) not in t.topics() and t.marker(s.name) not in created


def test_consumers_read_exactly_the_topics_their_code_subscribes() -> None:
    acls = t.kafka_acls()
    for s in t.SERVICES:
        reads = {a.name for a in acls if a.principal == s.name and a.operation == "Read"
                 and a.resource == "topic"}
        assert reads == set(t.consumed_topics(s.name)), s.name
        assert bool(reads) == s.consumer, s.name
    script = (ROOT / "deploy/kafka/init-security.sh").read_text(encoding="utf-8")
    grants = {line.split()[1]: set(line.split()[2:]) for line in script.splitlines()
              if line.startswith("grant ")}
    assert grants == {p: {render.acl_spec(a) for a in acls if a.principal == p}
                      for p in {a.principal for a in acls}}


def test_each_mongodb_user_reaches_only_its_own_databases() -> None:
    for s in t.SERVICES:
        for role in t.mongo_roles(s.name):
            if role["role"] == "opsStatusReader":
                assert s.name == "projection"
                continue
            assert role["role"] == "readWrite"
            assert role["db"] == s.database or role["db"] in {s.database + x
                                                              for x in s.extra_dbs}
    js = (ROOT / "deploy/mongo/init-users.js").read_text(encoding="utf-8")
    privileges = re.search(r"const privileges = (\[.*?\]);", js)
    assert privileges and '"actions": ["find"]' in privileges.group(1)
    assert "insert" not in privileges.group(1) and "update" not in privileges.group(1)


def test_topics_take_replication_and_min_insync_replicas_from_configuration() -> None:
    script = (ROOT / "deploy/kafka/init-security.sh").read_text(encoding="utf-8")
    assert '--replication-factor "$REPLICATION_FACTOR"' in script
    assert "min.insync.replicas=$MIN_INSYNC_REPLICAS" in script
    env = _compose()["services"]["kafka-init"]["environment"]
    assert "TOPIC_REPLICATION_FACTOR:?" in env["REPLICATION_FACTOR"]
    assert "TOPIC_MIN_INSYNC_REPLICAS:?" in env["MIN_INSYNC_REPLICAS"]


def test_replicas_restart_policies_limits_and_health_checks() -> None:
    services = _compose()["services"]
    for name, svc in services.items():
        if name == "kafka-init":  # a one-shot job
            assert svc.get("restart") == "no"
            continue
        assert svc.get("restart") == "unless-stopped", name
        assert svc.get("deploy", {}).get("resources", {}).get("limits"), f"{name}: no limits"
        command = " ".join(svc.get("command") or [])
        replicas = svc.get("deploy", {}).get("replicas", 1)
        if "gunicorn" in command:
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no health check"
            assert replicas >= 2, name
        if name.endswith(("-relay", "-scheduler", "-consumer")):
            assert replicas >= 2, name
            assert "shared.heartbeat" in svc["healthcheck"]["test"], name
            assert svc["environment"]["ELDERCARE_HEARTBEAT_FILE"], name
    for s in t.SERVICES:  # every process of every service is deployed
        expected = {s.host} | {f"{s.host}-{r}" for r in ("relay", "scheduler", "consumer")
                               if getattr(s, r)}
        assert expected <= set(services), s.name
        for module in [r for r in ("relay", "scheduler", "consumer") if getattr(s, r)]:
            assert (ROOT / "services" / s.name / s.name / f"{module}.py").exists()


def test_every_process_with_a_main_module_is_deployed() -> None:
    for pkg in sorted((ROOT / "services").glob("*/*/")):
        for module in ("relay", "scheduler", "consumer"):
            if (pkg / f"{module}.py").exists() and pkg.name in t.BY_NAME:
                assert getattr(t.BY_NAME[pkg.name], module), f"{pkg.name}.{module} not deployed"
    assert {p.name for p in (ROOT / "services").iterdir() if p.is_dir()} == set(t.BY_NAME)


def test_the_standin_override_uses_host_networking_and_lists_what_it_cannot_honour() -> None:
    override = _compose(STANDINS)["services"]
    for name in _compose()["services"]:
        if name == "gateway":
            assert override[name]["profiles"], "the gateway is not switched off"
            continue
        assert override[name]["network_mode"] == "host", name
        assert override[name]["pull_policy"] == "never", name
    head = STANDINS.read_text(encoding="utf-8").split("x-standin-app")[0]
    for unsupported in ("SASL/SCRAM", "TLS", "ACLs", "authentication", "per-service users",
                        "replica set", "replication factor", "min.insync.replicas"):
        assert unsupported in head, f"the override does not list {unsupported}"
