"""Refusals of the domain; the API maps them to problem+json statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules refuse; ``detail`` is shown to users (Chinese)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """Field-level rule violations (HTTP 422)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("请求数据未通过校验")
        self.errors = errors


class NotFound(DomainError):
    """The penalty, institution or listing does not exist (HTTP 404)."""


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""


class Forbidden(DomainError):
    """The acting department may not do this (HTTP 403)."""
