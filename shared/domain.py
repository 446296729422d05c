"""Building blocks every service's pure domain may use (standard library only).

Domain packages may import this module and nothing else from the kernel's I/O side
(import-linter enforces it). The app factory maps the errors to problem+json statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """An event an aggregate decided: its name (past tense) and JSON-ready data."""

    name: str
    data: dict[str, Any]


class DomainError(Exception):
    """A command the rules refuse; ``detail`` is shown to users (Chinese)."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """Field-level rule violations (HTTP 422)."""

    status = 422

    def __init__(self, errors: dict[str, list[str]], detail: str = "请求数据未通过校验") -> None:
        super().__init__(detail)
        self.errors = errors


class NotFound(DomainError):
    """The thing the command names does not exist (HTTP 404)."""

    status = 404


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""

    status = 409
