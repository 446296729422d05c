from datetime import UTC, datetime

import pytest

from shared.envelope import Envelope, MalformedEnvelope, ce_type, from_kafka, parse_ce_type


def _env() -> Envelope:
    return Envelope(id="e1", source="/eldercare/registry", type=ce_type("registry", "X"),
                    subject="institution-1", time=datetime(2026, 11, 23, tzinfo=UTC),
                    data={"名称": "康乐"}, stream_version=3, command_id="c",
                    actor_dept="civil_affairs", actor="u1", position=42)


def test_envelope_round_trips_through_kafka_binary_mode():
    env = _env()
    back = from_kafka(env.headers(), env.value())  # type: ignore[arg-type]
    assert back == env


def test_headers_follow_cloudevents_binary_mode():
    h = dict(_env().headers())
    assert h["ce_specversion"] == b"1.0" and h["ce_type"] == b"eldercare.registry.X.v1"
    assert h["ce_subject"] == b"institution-1" and h["content-type"] == b"application/json"


def test_message_without_headers_is_malformed():
    with pytest.raises(MalformedEnvelope, match="missing CloudEvents headers"):
        from_kafka([], b"{}")


def test_ce_type_parses_service_name_and_version():
    assert parse_ce_type("eldercare.registry.InstitutionFiled.v2") == ("registry",
                                                                       "InstitutionFiled", 2)
    with pytest.raises(ValueError):
        parse_ce_type("other.registry.X")
