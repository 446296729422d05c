"""Refusals of the domain; the API maps them to problem+json statuses."""

from __future__ import annotations

from typing import Any


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
    """The account, contract or policy does not exist (HTTP 404)."""


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""


class CapExceeded(DomainError):
    """A declared amount above the cap (HTTP 422); the rejection itself was recorded."""

    def __init__(self, detail: str, facts: dict[str, Any]) -> None:
        super().__init__(detail)
        self.facts = facts


class StatementInvalid(DomainError):
    """A bank statement with malformed lines; nothing of it is applied (HTTP 422)."""

    def __init__(self, line_errors: dict[str, list[str]]) -> None:
        super().__init__(f"对账单有 {len(line_errors)} 行格式错误，整份未导入")
        self.line_errors = line_errors
