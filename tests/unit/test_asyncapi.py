"""contracts/asyncapi.yaml lists every published event schema and every header we send.

Pure text checks, so they need no YAML library: a new schema in contracts/events/ without a
message in the AsyncAPI document, or a $ref to a file that does not exist, fails here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.envelope import Envelope

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
ASYNCAPI = CONTRACTS / "asyncapi.yaml"
FILE_REF = re.compile(r"""\$ref:\s*['"]?(\./[^'"\s#]+)""")
LOCAL_REF = re.compile(r"""\$ref:\s*['"]#/([^'"\s]+)['"]""")


def _text() -> str:
    return ASYNCAPI.read_text(encoding="utf-8")


def _schemas() -> list[Path]:
    return sorted((CONTRACTS / "events").glob("*/*.json"))


def test_the_document_is_asyncapi_3():
    assert re.search(r"^asyncapi: 3\.\d+\.\d+$", _text(), re.MULTILINE)


@pytest.mark.parametrize("schema", _schemas(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_event_schema_is_a_message_payload(schema: Path):
    refs = set(FILE_REF.findall(_text()))
    assert f"./events/{schema.parent.name}/{schema.name}" in refs, (
        f"{schema.relative_to(CONTRACTS)} has no message in contracts/asyncapi.yaml")


@pytest.mark.parametrize("schema", _schemas(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_event_type_is_named_with_its_ce_type(schema: Path):
    ce_type = f"eldercare.{schema.parent.name}.{schema.name.removesuffix('.json')}"
    assert f"const: {ce_type}\n" in _text()


def test_every_file_reference_points_to_an_existing_file():
    refs = FILE_REF.findall(_text())
    assert refs
    missing = [r for r in refs if not (ASYNCAPI.parent / r).is_file()]
    assert missing == []


def test_every_local_reference_names_a_defined_key():
    text = _text()
    for ref in LOCAL_REF.findall(text):
        key = ref.split("/")[-1]
        assert re.search(rf"^\s+{re.escape(key)}:", text, re.MULTILINE), f"#/{ref} undefined"


def test_every_service_topic_and_the_dead_letter_topic_are_channels():
    text = _text()
    services = {p.parent.name for p in _schemas()}
    for topic in [f"eldercare.{s}.events" for s in services] + ["eldercare.deadletter"]:
        assert f"address: {topic}\n" in text


def test_every_header_the_envelope_sends_is_described():
    envelope = Envelope(id="e", source="/eldercare/registry", type="eldercare.registry.X.v1",
                        subject="s", time=datetime(2026, 1, 1, tzinfo=UTC), data={},
                        stream_version=1)
    text = _text()
    for name, _value in envelope.headers():
        assert re.search(rf"^\s+{re.escape(name)}:$", text, re.MULTILINE), name


def test_generated_document_is_current():
    from shared.asyncapi import render

    assert _text() == render(), "contracts/asyncapi.yaml is stale: run make contracts"
