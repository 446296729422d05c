"""The compiled validator (fastjsonschema) and the interpreted one (jsonschema, 2020-12) agree
on every published event schema: what one accepts the other accepts, what one refuses the other
refuses. validate_data refuses whatever either refuses."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import contracts
from shared.envelope import ce_type
from tests.support_schema import from_schema

SCHEMAS = sorted((contracts.contracts_dir() / "events").glob("*/*.json"))


def _agree(event_type: str, data) -> bool:
    fast = True
    try:
        contracts._compiled(event_type)(data)
    except Exception:  # noqa: BLE001
        fast = False
    slow = not list(contracts._validator(event_type).iter_errors(data))
    assert fast == slow, (event_type, data)
    return slow


def _mutations(schema: dict, data: dict) -> list[dict]:
    out = [{**data, "zz_extra": 1}] if schema.get("additionalProperties") is False else []
    for key in schema.get("required", []):
        out.append({k: v for k, v in data.items() if k != key})
    for key, prop in schema.get("properties", {}).items():
        out.append({**data, key: {"wrong": "type"}})
        if prop.get("format") == "date":
            out += [{**data, key: "2026-02-30"}, {**data, key: "2026-2-3"}]
    return out


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: f"{p.parent.name}/{p.name}")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_and_interpreted_validators_agree(path, data):
    schema = json.loads(path.read_text(encoding="utf-8"))
    name, version = path.stem.rsplit(".v", 1)
    event_type = ce_type(path.parent.name, name, int(version))
    valid = data.draw(from_schema(schema))
    assert _agree(event_type, valid)
    contracts.validate_data(event_type, valid)
    for bad in _mutations(schema, valid):
        if not _agree(event_type, bad):
            with pytest.raises(contracts.ContractViolation):
                contracts.validate_data(event_type, bad)
