"""Refusals of the domain: the kernel's types, and escrow's own (their handlers: api.errors)."""

from __future__ import annotations

from typing import Any

from shared.domain import Conflict, DomainError, InvalidCommand, NotFound

__all__ = ["CapExceeded", "Conflict", "DomainError", "InvalidCommand", "NotFound",
           "StatementInvalid"]


class CapExceeded(DomainError):
    """A declared amount above the cap (HTTP 422); the rejection itself was recorded."""

    status = 422

    def __init__(self, detail: str, facts: dict[str, Any]) -> None:
        super().__init__(detail)
        self.facts = facts


class StatementInvalid(DomainError):
    """A bank statement with malformed lines; nothing of it is applied (HTTP 422)."""

    status = 422

    def __init__(self, line_errors: dict[str, list[str]]) -> None:
        super().__init__(f"对账单有 {len(line_errors)} 行格式错误，整份未导入")
        self.line_errors = line_errors
