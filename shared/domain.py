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


def region_prefix(code: str) -> str:
    """The prefix an administrative division code stands for (GB/T 2260).

    '50' (province), '5001' (city) and '500103' (county) stand for themselves; full-length
    codes of a province or city drop their zero tail: '500000' -> '50', '500100' -> '5001'.
    """
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def within_region(region: str, district_code: str) -> bool:
    """Whether ``district_code`` lies in ``region`` (a 2/4/6-digit division code or prefix)."""
    prefix = region_prefix(region)
    return bool(prefix) and district_code.startswith(prefix)
