"""Value objects shared by the aggregates: decided events, dates and the configurable rules."""

from __future__ import annotations

import calendar as _months
from dataclasses import dataclass, field
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class PenaltyRules:
    """Disclosure of administrative penalties (总局令第45号; see config.py for sources)."""

    publish_within_workdays: int = 20
    withdraw_within_workdays: int = 3
    short_display_months: int = 3
    standard_display_months: int = 36
    low_fine_fen_default: int = 1_000_000  # UNCONFIRMED: provinces define "low"
    low_fine_fen_by_province: dict[str, int] = field(default_factory=dict)
    # Minimum months on display before an early end (NDRC 信用修复管理办法, 2026: repair only
    # after the minimum period, ordinary 3 months, severe 1 year); see penalty.severity().
    early_end_min_months_ordinary: int = 3
    early_end_min_months_severe: int = 12

    def low_fine_fen(self, district_code: str) -> int:
        """The low-fine threshold of the province the deciding authority is in."""
        return self.low_fine_fen_by_province.get(district_code[:2], self.low_fine_fen_default)


@dataclass(frozen=True)
class LevelRules:
    """Numbers of the credit-level rule (credit/domain/level.py; keys and sources in config.py).

    Categories in the tuples match a record's category or its family ("penalty")."""

    weights: dict[str, int] = field(default_factory=dict)
    default_weight: int = 10
    full_weight_months: int = 12
    fade_out_months: int = 36
    thresholds: tuple[tuple[str, int], ...] = (("A", 90), ("B", 75), ("C", 60))
    force_d_categories: tuple[str, ...] = ("serious_dishonesty",)
    demoting_categories: tuple[str, ...] = ("major_fire_hazard", "serious_dishonesty")
    neutral_level: str = "B"  # UNCONFIRMED: no national rule for a new institution's class
    neutral_months: int = 12  # UNCONFIRMED


@dataclass(frozen=True)
class Measure:
    """One joint-punishment measure in the catalogue."""

    department: str
    code: str
    text: str


@dataclass(frozen=True)
class ListingRules:
    """The serious-dishonesty list (民政部 养老服务市场失信联合惩戒对象名单管理办法)."""

    period_years: int = 3  # UNCONFIRMED total validity
    removal_after_years: int = 2
    execute_within_workdays: int = 10  # UNCONFIRMED
    measures: tuple[Measure, ...] = ()
