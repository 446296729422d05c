"""Refusals of the domain (the kernel's types; the app factory maps them to problem+json)."""

from __future__ import annotations

from shared.authority import Forbidden  # one 403 for the domain's and the scope's refusals
from shared.domain import Conflict, DomainError, InvalidCommand, NotFound

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidCommand", "NotFound", "require"]


def require(errors: dict[str, list[str]]) -> None:
    """Raise InvalidCommand when any field collected a message."""
    found = {k: v for k, v in errors.items() if v}
    if found:
        raise InvalidCommand(found)
