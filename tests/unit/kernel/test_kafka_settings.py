"""Kafka client security and topic replication come from the environment: SASL without a
user or password is refused naming the variable; no credential has a default."""

from __future__ import annotations

import pytest

from shared.kafka import KafkaConfigError, security, topic_settings


def test_plaintext_unless_told_otherwise() -> None:
    assert security({}) == {"security.protocol": "PLAINTEXT"}


def test_sasl_scram_over_tls_with_a_password_file(tmp_path) -> None:
    secret = tmp_path / "kafka-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    conf = security({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "registry",
                     "KAFKA_SASL_PASSWORD_FILE": str(secret),
                     "KAFKA_SSL_CA_LOCATION": "/run/secrets/ca.pem"})
    assert conf == {"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
                    "sasl.username": "registry", "sasl.password": "s3cret",
                    "ssl.ca.location": "/run/secrets/ca.pem"}


@pytest.mark.parametrize(("env", "named"), [
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_PASSWORD": "p"}, "KAFKA_SASL_USERNAME"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "u"},
     "KAFKA_SASL_PASSWORD_FILE"),
    ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "GSSAPI",
      "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "p"}, "KAFKA_SASL_MECHANISM"),
])
def test_a_missing_or_wrong_setting_is_refused_naming_it(env, named) -> None:
    with pytest.raises(KafkaConfigError, match=named):
        security(env)


@pytest.mark.parametrize(("factor", "isr", "ok"), [
    ("1", "1", True), ("3", "2", True), ("3", "3", True), ("3", "4", False), ("0", "1", False),
    ("2", "0", False), ("x", "1", False)])
def test_replication_and_min_insync_replicas_at_and_past_their_limits(factor, isr, ok) -> None:
    env = {"TOPIC_REPLICATION_FACTOR": factor, "TOPIC_MIN_INSYNC_REPLICAS": isr}
    if ok:
        assert topic_settings(env) == (int(factor), {"min.insync.replicas": isr})
    else:
        with pytest.raises(KafkaConfigError):
            topic_settings(env)


def test_one_broker_by_default() -> None:
    assert topic_settings({}) == (1, {"min.insync.replicas": "1"})
