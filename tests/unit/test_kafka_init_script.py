"""deploy/kafka/init-security.sh run for real with bash, the Kafka tools replaced by stubs that
record their arguments: every topic is created with the configured partitions, replication
factor and min.insync.replicas; every principal gets a SCRAM credential with its own password
file; the ACLs added are exactly the table's (devtools/deploy/topology.py), literal except the
group prefixes; the admin client speaks SASL_SSL with the CA. Only the broker's answers are
missing here (docs/deploy.md: what needs real servers)."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from devtools.deploy import topology as t

ROOT = Path(__file__).resolve().parents[2]
STUB = """#!/usr/bin/env bash
printf '%s' "$(basename "$0")" >> "$LOG"
for a in "$@"; do printf ' %q' "$a" >> "$LOG"; done
echo >> "$LOG"
"""


def _run(tmp_path: Path) -> list[list[str]]:
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh"):
        (tools / name).write_text(STUB)
        (tools / name).chmod(0o755)
    secrets = tmp_path / "secrets"
    (secrets / "users").mkdir(parents=True)
    (secrets / "ca.pem").write_text("CA")
    for user in ("admin", *t.kafka_users()):
        (secrets / "users" / user).write_text(f"pw-{user}")
    log = tmp_path / "calls"
    env = {"PATH": "/usr/bin:/bin", "LOG": str(log), "KAFKA_BIN": str(tools),
           "KAFKA_SECRETS": str(secrets), "ELDERCARE_SCRIPTS": str(ROOT / "deploy/kafka"),
           "BOOTSTRAP": "kafka:9094", "PARTITIONS": "6", "REPLICATION_FACTOR": "3",
           "MIN_INSYNC_REPLICAS": "2"}
    subprocess.run(["bash", str(ROOT / "deploy/kafka/init-security.sh")], env=env, check=True,
                   capture_output=True, timeout=60)
    return [shlex.split(line) for line in log.read_text().splitlines()]


def _opt(call: list[str], name: str) -> list[str]:
    return [call[i + 1] for i, a in enumerate(call) if a == name]


def test_the_init_script_makes_exactly_the_tables_topics_users_and_acls(tmp_path) -> None:
    calls = _run(tmp_path)
    topics = [c for c in calls if c[0] == "kafka-topics.sh"]
    assert {_opt(c, "--topic")[0] for c in topics} == set(t.topics())
    for c in topics:
        assert _opt(c, "--partitions") == ["6"] and _opt(c, "--replication-factor") == ["3"]
        assert "min.insync.replicas=2" in _opt(c, "--config")
        assert _opt(c, "--bootstrap-server") == ["kafka:9094"]

    users = {_opt(c, "--entity-name")[0]: _opt(c, "--add-config")[0]
             for c in calls if c[0] == "kafka-configs.sh"}
    assert set(users) == set(t.kafka_users())
    for user, config in users.items():
        assert config == f"SCRAM-SHA-512=[iterations=8192,password=pw-{user}]"

    added = {(_opt(c, "--allow-principal")[0], _opt(c, "--operation")[0],
              next(a[2:] for a in c if a in ("--topic", "--group")),
              _opt(c, "--topic")[0] if "--topic" in c else _opt(c, "--group")[0],
              _opt(c, "--resource-pattern-type")[0])
             for c in calls if c[0] == "kafka-acls.sh" and "--add" in c}
    assert added == {(f"User:{a.principal}", a.operation, a.resource, a.name,
                      "prefixed" if a.prefixed else "literal") for a in t.kafka_acls()}

    conf = Path(_opt(topics[0], "--command-config")[0]).read_text()
    assert "security.protocol=SASL_SSL" in conf and "SCRAM-SHA-512" in conf
    assert 'username="admin" password="pw-admin"' in conf
    assert f"ssl.truststore.location={tmp_path / 'secrets'}/ca.pem" in conf
