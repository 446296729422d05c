"""Escrow rule numbers, each with its default, legal basis and domain.md tag.

They parameterise the shipped default policies (domain/policy.py ``default_policies``); a
jurisdiction's published version overrides them. Configured in escrow/config.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from escrow.domain.policy import Ceiling, PolicyVersion, default_policies
from shared.rules import rule

_GUIDE = "关于加强养老机构预收费监管的指导意见（民发〔2024〕19号）；domain.md §4"


@dataclass(frozen=True)
class Rules:
    """Configurable numbers of the default policies and the national ceiling."""

    # No national refund deadline in days was found; 30 mirrors the 30 days' notice for
    # ending service.
    refund_deadline_days: int = rule(
        30, f"none found (domain.md §4, §8); 30 mirrors {_GUIDE}: 30 days' notice",
        "UNCONFIRMED")
    reserve_basis_points: int = rule(
        500, "national risk-reserve percentage not found (domain.md §4, §8); 500 = 5% of "
             "what is owed", "UNCONFIRMED")
    national_deposit_bed_fee_multiple: int = rule(
        12, f"{_GUIDE}: deposit ≤ 12 × the monthly bed fee", "PUB-2nd")
    national_prepaid_months: int = rule(
        12, f"{_GUIDE}: prepaid service fees ≤ 12 months", "PUB-2nd")
    check_seconds: int = rule(3600, "scheduler interval of the overdue-refund check (no rule)",
                              "OPERATIONAL")

    @property
    def ceiling(self) -> Ceiling:
        return Ceiling(self.national_deposit_bed_fee_multiple, self.national_prepaid_months)

    def default_policies(self) -> dict[str, PolicyVersion]:
        """The shipped policies (national, chongqing, beijing) under these numbers."""
        return default_policies(self.refund_deadline_days, self.reserve_basis_points,
                                self.ceiling)
