"""JSON Schemas in contracts/events/ checked on produce and on consume."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from shared.envelope import Envelope, parse_ce_type


def contracts_dir() -> Path:
    env = os.environ.get("ELDERCARE_CONTRACTS_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "contracts"


class ContractViolation(ValueError):
    """Event data that does not match its published schema (or has none)."""


def schema_path(event_type: str) -> Path:
    """contracts/events/<service>/<Name>.v<N>.json, or the same under an extra folder.

    ELDERCARE_EXTRA_CONTRACTS (os.pathsep-separated) adds folders; kernel tests use it for
    their own test events so nothing test-only is published in contracts/.
    """
    service, name, version = parse_ce_type(event_type)
    relative = Path("events") / service / f"{name}.v{version}.json"
    extra_env = os.environ.get("ELDERCARE_EXTRA_CONTRACTS", "")
    extra = [Path(p) for p in extra_env.split(os.pathsep) if p]
    for base in [contracts_dir(), *extra]:
        if (base / relative).exists():
            return base / relative
    return contracts_dir() / relative


@cache
def _validator(event_type: str) -> Draft202012Validator:
    path = schema_path(event_type)
    if not path.exists():
        raise ContractViolation(f"no published schema for {event_type} ({path.name})")
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def is_date(value: str) -> bool:
    """RFC 3339 full-date that is a real day (what jsonschema's format checker accepts)."""
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def _compiled(event_type: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python (fastjsonschema): every append and every consumed
    event is checked, and the interpreted validator cost most of a command's time. Our schemas
    use only keywords draft 7 and 2020-12 read alike (test_contract_fast_path.py checks)."""
    _validator(event_type)  # the schema exists and is a valid 2020-12 schema
    schema = json.loads(schema_path(event_type).read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema, formats={"date": is_date})  # type: ignore[no-any-return]


def validate_data(event_type: str, data: dict[str, Any]) -> None:
    """Raise ContractViolation listing every error, path by path."""
    try:
        _compiled(event_type)(data)
        return
    except fastjsonschema.JsonSchemaException as fast:
        reason = str(fast)  # the interpreted validator lists every error, path by path
    errors = sorted(_validator(event_type).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        msgs = "; ".join(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors)
        raise ContractViolation(f"{event_type}: {msgs}")
    raise ContractViolation(f"{event_type}: {reason}")  # refused by either is refused


def validate(envelope: Envelope) -> None:
    """Check an envelope's data against the schema named by its ce_type."""
    try:
        validate_data(envelope.type, envelope.data)
    except ValueError as exc:
        raise ContractViolation(str(exc)) from exc


def known_event_types(service: str) -> list[str]:
    folder = contracts_dir() / "events" / service
    return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else []
