"""Escrow settings beyond the kernel's: the UNCONFIRMED numbers of the defaults (ELDERCARE_*)."""

from __future__ import annotations

from escrow.domain.policy import Ceiling, PolicyVersion, default_policies
from shared.config import Settings, int_setting

# UNCONFIRMED (domain.md §4/§8): no national refund deadline in days was found. 30 mirrors the
# 30 days' notice for ending service; a jurisdiction's published version overrides it.
REFUND_DEADLINE_DAYS = ("ELDERCARE_ESCROW_REFUND_DEADLINE_DAYS", 30)
# UNCONFIRMED: the national risk-reserve percentage is not known; 500 = 5% of what is owed.
RESERVE_BASIS_POINTS = ("ELDERCARE_ESCROW_RESERVE_BASIS_POINTS", 500)
# National ceilings (民发〔2024〕19号, PUB-2nd): deposit ≤ 12 × monthly bed fee, prepaid service
# fees ≤ 12 months. Every local cap is bounded by them (the lower applies).
NATIONAL_DEPOSIT_MULTIPLE = ("ELDERCARE_ESCROW_NATIONAL_DEPOSIT_BED_FEE_MULTIPLE", 12)
NATIONAL_PREPAID_MONTHS = ("ELDERCARE_ESCROW_NATIONAL_PREPAID_MONTHS", 12)
CHECK_SECONDS = ("ELDERCARE_ESCROW_CHECK_SECONDS", 3600)


def load_defaults(settings: Settings) -> dict[str, PolicyVersion]:
    """The shipped policies (national, chongqing, beijing) with any overrides."""
    extra = settings.extra
    ceiling = Ceiling(int_setting(extra, *NATIONAL_DEPOSIT_MULTIPLE, 0),
                      int_setting(extra, *NATIONAL_PREPAID_MONTHS, 0))
    return default_policies(int_setting(extra, *REFUND_DEADLINE_DAYS),
                            int_setting(extra, *RESERVE_BASIS_POINTS, 0, 10_000), ceiling)


def check_interval_seconds(settings: Settings) -> int:
    """How often the scheduler runs the overdue-refund check."""
    return int_setting(settings.extra, *CHECK_SECONDS, 1)
