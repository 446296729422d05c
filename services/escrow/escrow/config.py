"""Environment variables (ELDERCARE_ESCROW_*) onto the escrow Rules fields; nothing else."""

from __future__ import annotations

from escrow.domain.rules import Rules
from shared.config import EnvVar, Settings, apply_env, integer

ENV = (
    EnvVar("ELDERCARE_ESCROW_REFUND_DEADLINE_DAYS", "refund_deadline_days", integer()),
    EnvVar("ELDERCARE_ESCROW_RESERVE_BASIS_POINTS", "reserve_basis_points", integer(0, 10_000)),
    EnvVar("ELDERCARE_ESCROW_NATIONAL_DEPOSIT_BED_FEE_MULTIPLE",
           "national_deposit_bed_fee_multiple", integer()),
    EnvVar("ELDERCARE_ESCROW_NATIONAL_PREPAID_MONTHS", "national_prepaid_months", integer()),
    EnvVar("ELDERCARE_ESCROW_CHECK_SECONDS", "check_seconds", integer(1)),
)


def load_rules(settings: Settings) -> Rules:
    """The escrow rules with every ELDERCARE_ESCROW_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
