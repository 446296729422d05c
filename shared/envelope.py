"""CloudEvents 1.0 envelope in Kafka binary mode (ce_* headers, JSON data as value)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SPEC_VERSION = "1.0"
TYPE_PREFIX = "eldercare"


def ce_type(service: str, name: str, schema_version: int = 1) -> str:
    """e.g. eldercare.registry.InstitutionFiled.v1"""
    return f"{TYPE_PREFIX}.{service}.{name}.v{schema_version}"


def parse_ce_type(value: str) -> tuple[str, str, int]:
    """Split a ce_type into (service, event name, schema version)."""
    parts = value.split(".")
    if len(parts) != 4 or parts[0] != TYPE_PREFIX or not parts[3].startswith("v"):
        raise ValueError(f"not an eldercare event type: {value!r}")
    return parts[1], parts[2], int(parts[3][1:])


@dataclass(frozen=True, slots=True)
class Envelope:
    """One stored or published event with the metadata every consumer needs."""

    id: str
    source: str
    type: str
    subject: str  # the stream id, also the Kafka key
    time: datetime
    data: dict[str, Any]
    stream_version: int
    command_id: str = ""
    actor_dept: str = ""
    actor: str = ""
    position: int = 0
    actor_region: str = ""  # the region of the actor's account it acted for (division code)

    @property
    def name(self) -> str:
        return parse_ce_type(self.type)[1]

    @property
    def service(self) -> str:
        return parse_ce_type(self.type)[0]

    def headers(self) -> list[tuple[str, str | bytes | None]]:
        """Kafka headers for binary-mode CloudEvents."""
        pairs = {
            "ce_specversion": SPEC_VERSION,
            "ce_id": self.id,
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_subject": self.subject,
            "ce_time": self.time.astimezone(UTC).isoformat(),
            "ce_streamversion": str(self.stream_version),
            "ce_commandid": self.command_id,
            "ce_actordept": self.actor_dept,
            "ce_actor": self.actor,
            "ce_actorregion": self.actor_region,
            "ce_position": str(self.position),
            "content-type": "application/json",
        }
        return [(k, v.encode()) for k, v in pairs.items()]

    def value(self) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True).encode()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (used by stores and inboxes)."""
        return {
            "id": self.id, "source": self.source, "type": self.type, "subject": self.subject,
            "time": self.time, "data": self.data, "stream_version": self.stream_version,
            "command_id": self.command_id, "actor_dept": self.actor_dept,
            "actor": self.actor, "position": self.position, "actor_region": self.actor_region,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Envelope:
        t = d["time"]
        if isinstance(t, str):
            t = datetime.fromisoformat(t)
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return cls(
            id=d["id"], source=d["source"], type=d["type"], subject=d["subject"], time=t,
            data=d["data"], stream_version=int(d["stream_version"]),
            command_id=d.get("command_id", ""), actor_dept=d.get("actor_dept", ""),
            actor=d.get("actor", ""), position=int(d.get("position", 0)),
            actor_region=d.get("actor_region", ""),
        )


class MalformedEnvelope(ValueError):
    """A Kafka message that is not a valid binary-mode CloudEvent of ours."""


REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject",
                    "ce_time", "ce_streamversion")


def from_kafka(headers: list[tuple[str, bytes]] | None, value: bytes | str | None) -> Envelope:
    """Decode a Kafka message; raise MalformedEnvelope with the reason."""
    h = {k: (v.decode(errors="replace") if v is not None else "") for k, v in (headers or [])}
    missing = [k for k in REQUIRED_HEADERS if not h.get(k)]
    if missing:
        raise MalformedEnvelope(f"missing CloudEvents headers: {', '.join(missing)}")
    if h["ce_specversion"] != SPEC_VERSION:
        raise MalformedEnvelope(f"unsupported specversion {h['ce_specversion']}")
    try:
        parse_ce_type(h["ce_type"])
        data = json.loads(value or b"")  # bad JSON raises ValueError
        time = datetime.fromisoformat(h["ce_time"])
        stream_version = int(h["ce_streamversion"])
        position = int(h.get("ce_position") or 0)
    except (ValueError, TypeError) as exc:
        raise MalformedEnvelope(str(exc)) from exc
    if not isinstance(data, dict):
        raise MalformedEnvelope("event data must be a JSON object")
    return Envelope(
        id=h["ce_id"], source=h["ce_source"], type=h["ce_type"], subject=h["ce_subject"],
        time=time, data=data, stream_version=stream_version,
        command_id=h.get("ce_commandid", ""), actor_dept=h.get("ce_actordept", ""),
        actor=h.get("ce_actor", ""), position=position,
        actor_region=h.get("ce_actorregion", ""),
    )


def new_event_id() -> str:
    return str(uuid.uuid4())
