"""What every view needs: the wired dependencies and If-Match parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, request

from registry.domain.ports import WorkCalendar
from registry.domain.rules import Rules
from shared.clock import Clock
from shared.eventstore import EventStore
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
