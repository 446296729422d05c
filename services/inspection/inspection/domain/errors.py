"""Refusals of the domain: the kernel's types and the draw's own (handled in api.errors)."""

from __future__ import annotations

from shared.domain import Conflict, DomainError, InvalidCommand, NotFound

__all__ = ["Conflict", "DomainError", "DrawInfeasible", "InvalidCommand", "NotFound",
           "ReplacementInfeasible"]


class DrawInfeasible(DomainError):
    """The draw cannot satisfy its constraints (HTTP 422); nothing is stored."""

    status = 422

    def __init__(self, detail: str, uscc: str = "", department: str = "") -> None:
        super().__init__(detail)
        self.uscc, self.department = uscc, department


class ReplacementInfeasible(DrawInfeasible):
    """No inspector qualifies to replace a recused one (HTTP 422); nothing is stored."""
