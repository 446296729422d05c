"""Escrow settings beyond the kernel's: the UNCONFIRMED numbers of the defaults (ELDERCARE_*)."""

from __future__ import annotations

from collections.abc import Mapping

from escrow.domain.policy import PolicyVersion, default_policies
from shared.config import Settings

# UNCONFIRMED (domain.md §4/§8): no national refund deadline in days was found. 30 mirrors the
# 30 days' notice for ending service; a jurisdiction's published version overrides it.
REFUND_DEADLINE_DAYS = ("ELDERCARE_ESCROW_REFUND_DEADLINE_DAYS", 30)
# UNCONFIRMED: the national risk-reserve percentage is not known; 500 = 5% of what is owed.
RESERVE_BASIS_POINTS = ("ELDERCARE_ESCROW_RESERVE_BASIS_POINTS", 500)
CHECK_SECONDS = ("ELDERCARE_ESCROW_CHECK_SECONDS", 3600)


def _number(extra: Mapping[str, str], spec: tuple[str, int], minimum: int = 0,
            maximum: int | None = None) -> int:
    name, default = spec
    raw = extra.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be within {minimum}..{maximum}, got {value}")
    return value


def load_defaults(settings: Settings) -> dict[str, PolicyVersion]:
    """The shipped policies (national, chongqing, beijing) with any overrides."""
    extra = settings.extra
    return default_policies(_number(extra, REFUND_DEADLINE_DAYS),
                            _number(extra, RESERVE_BASIS_POINTS, 0, 10_000))


def check_interval_seconds(settings: Settings) -> int:
    """How often the scheduler runs the overdue-refund check."""
    return _number(settings.extra, CHECK_SECONDS, 1)
