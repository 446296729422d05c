"""Every event class against its JSON Schema: same fields, and schema-valid data round-trips.

Walks <service>.domain.events of each write service: one frozen dataclass per published
event type (latest version), its fields exactly the schema's properties (required unless the
class omits them while None), and older published versions reachable by upcasters.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.contracts import contracts_dir, validate_data
from shared.domain import Event, EventCatalog
from shared.envelope import ce_type
from tests.support_schema import from_schema

SERVICES = ["registry", "escrow", "credit", "fire_safety", "inspection", "complaints", "risk"]


def _module(service: str):
    return importlib.import_module(f"{service}.domain.events")


def _classes(service: str) -> list[type[Event]]:
    mod = _module(service)
    return [c for c in vars(mod).values()
            if isinstance(c, type) and issubclass(c, Event) and c.__module__ == mod.__name__]


@cache
def _schema(service: str, name: str, version: int) -> dict:
    path = contracts_dir() / "events" / service / f"{name}.v{version}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _published(service: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in (contracts_dir() / "events" / service).glob("*.json"):
        name, version = path.stem.rsplit(".v", 1)
        found.setdefault(name, []).append(int(version))
    return {name: sorted(v) for name, v in found.items()}


CLASSES = [(s, c) for s in SERVICES for c in _classes(s)]
OLDER = [(s, name, v) for s in SERVICES for name, versions in _published(s).items()
         for v in versions[:-1]]
IDS = [f"{s}.{c.event_name}" for s, c in CLASSES]


@pytest.mark.parametrize("service", SERVICES)
def test_every_published_event_type_has_one_class_at_its_latest_version(service):
    classes = {c.event_name: c for c in _classes(service)}
    latest = {name: versions[-1] for name, versions in _published(service).items()}
    assert {n: c.schema_version for n, c in classes.items()} == latest
    catalog = _module(service).EVENTS
    assert isinstance(catalog, EventCatalog)
    assert set(catalog.types) == set(classes)


@pytest.mark.parametrize(("service", "cls"), CLASSES, ids=IDS)
def test_fields_are_the_schema_properties(service, cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    schema = _schema(service, cls.event_name, cls.schema_version)
    fields = [f.name for f in dataclasses.fields(cls)]
    assert set(fields) == set(schema["properties"]), "no extra and no missing fields"
    assert set(schema["required"]) == set(fields) - cls.omit_when_none
    assert schema.get("additionalProperties") is False


@pytest.mark.parametrize(("service", "cls"), CLASSES, ids=IDS)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_schema_valid_data_round_trips(service, cls, data):
    schema = _schema(service, cls.event_name, cls.schema_version)
    example = data.draw(from_schema(schema))
    validate_data(ce_type(service, cls.event_name, cls.schema_version), example)
    event = cls.from_data(example)
    assert event.to_data() == example
    assert cls.from_data(event.to_data()) == event


@pytest.mark.parametrize(("service", "name", "version"), OLDER)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_older_versions_upcast_to_the_current_shape(service, name, version, data):
    """Upcast data has the current version's fields and decodes as the current type.

    (It need not validate: PenaltyDecided v1 whose authority names no department upcasts
    to a department of None, which no v2 event may carry.)"""
    example = data.draw(from_schema(_schema(service, name, version)))
    validate_data(ce_type(service, name, version), example)
    catalog = _module(service).EVENTS
    current = catalog.version_of(name)
    upcast = catalog.upcast(name, version, example)
    assert set(upcast) == set(_schema(service, name, current)["properties"])
    event = catalog.decode(name, version, example)
    assert event == catalog.decode(name, current, upcast)
    assert event.to_data() == upcast
