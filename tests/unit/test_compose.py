"""docker-compose.yml, read as data: what the production shape promises so far. No database or
broker port is published to the host; every secret-like variable has no default (compose stops
with a message when it is missing); topics are created with the replication factor and
min.insync.replicas from configuration; every long-running container restarts by policy and
every web container has a health check."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SECRET_WORDS = ("SECRET", "PASSWORD", "KEY", "TOKEN", "OIDC_ISSUER", "OIDC_JWKS")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_no_database_or_broker_port_is_published() -> None:
    services = _compose()["services"]
    for name in ("kafka", "mongo"):
        assert not services[name].get("ports"), f"{name} publishes a port on the host"


def test_no_secret_has_a_default() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for m in re.finditer(r"\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}", text):
        name, op = m.group(1), m.group(2) or ""
        if any(w in name for w in SECRET_WORDS):
            assert op.endswith("?"), f"${{{name}}} has a default or may be empty: {m.group(0)}"


def test_topics_take_replication_and_min_insync_replicas_from_configuration() -> None:
    topics = _compose()["services"]["topics"]
    script = "\n".join(topics["command"])
    assert '--replication-factor "$$REPLICATION_FACTOR"' in script
    assert "min.insync.replicas=$$MIN_INSYNC_REPLICAS" in script
    assert "--replication-factor 1" not in script
    env = topics["environment"]
    assert "TOPIC_REPLICATION_FACTOR" in env["REPLICATION_FACTOR"]
    assert "TOPIC_MIN_INSYNC_REPLICAS" in env["MIN_INSYNC_REPLICAS"]


def test_long_running_containers_restart_and_web_containers_have_health_checks() -> None:
    services = _compose()["services"]
    for name, svc in services.items():
        if name == "topics":  # a one-shot job
            assert svc.get("restart") == "no"
            continue
        assert svc.get("restart") in ("unless-stopped", "always"), name
        command = " ".join(svc.get("command") or [])
        if "gunicorn" in command:
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no health check"
