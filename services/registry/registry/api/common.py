"""What every view needs: the wired dependencies, commit metadata, path and header parsing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from flask import current_app, g, request
from marshmallow import ValidationError

from registry.api.fields import uscc_value
from registry.domain.model import Rules
from registry.domain.ports import WorkCalendar
from shared.clock import Clock
from shared.eventstore import CommitMeta, EventStore
from shared.http.problems import Problem

EXTENSION = "registry"
_VERSION_TAG = re.compile(r'^(?:W/)?"?([0-9]+)"?$')


@dataclass(frozen=True)
class Deps:
    """The service's dependencies, built once by bootstrap.create_app."""

    store: EventStore
    clock: Clock
    calendar: WorkCalendar
    rules: Rules


def deps() -> Deps:
    return current_app.extensions[EXTENSION]


def commit_meta() -> CommitMeta:
    """Who acts (from the verified token) and a fresh command id."""
    principal = g.principal
    return CommitMeta(command_id=str(uuid.uuid4()), actor_dept=principal.role,
                      actor=principal.sub)


def path_uscc(raw: str) -> str:
    """Canonical USCC from the URL, or 422 problem+json."""
    try:
        return uscc_value(raw)
    except ValidationError as exc:
        raise Problem(422, "Unprocessable Entity", "统一社会信用代码无效",
                      errors={"uscc": exc.messages}) from exc


def if_match_version() -> int | None:
    """The stream version named by If-Match (3, "3" or W/"3"); None when absent or *."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    found = _VERSION_TAG.match(raw)
    if not found:
        raise Problem(422, "Unprocessable Entity", "If-Match 须为版本号",
                      errors={"If-Match": ["须为整数版本号，例如 3 或 \"3\""]})
    return int(found.group(1))


def version_headers(version: int) -> dict[str, str]:
    """ETag carries the stream version; send it back in If-Match to change safely."""
    return {"ETag": f'"{version}"'}
