"""Refusals of the domain; the API maps them to problem+json statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules refuse; ``detail`` is shown to users (Chinese)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """Field-level rule violations (HTTP 422)."""

    def __init__(self, errors: dict[str, list[str]], detail: str = "请求数据未通过校验") -> None:
        super().__init__(detail)
        self.errors = errors


class NotFound(DomainError):
    """The plan, task, inspector or item does not exist (HTTP 404)."""


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""


class DrawInfeasible(DomainError):
    """The draw cannot satisfy its constraints (HTTP 422); nothing is stored."""

    def __init__(self, detail: str, uscc: str = "", department: str = "") -> None:
        super().__init__(detail)
        self.uscc, self.department = uscc, department
