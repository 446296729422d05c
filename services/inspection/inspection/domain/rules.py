"""Random-inspection rule numbers, each with its default, legal basis and domain.md tag.

Configured from the environment in inspection/config.py (ELDERCARE_INSPECTION_*).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspection.domain.model import BASIS_POINTS, CREDIT_LEVELS
from shared.rules import RuleError, rule


@dataclass(frozen=True)
class Rules:
    """Configurable numbers (domain.md §1; local ratios are examples, not national law)."""

    publication_workdays: int = rule(
        20, "国发〔2019〕5号 20 working days (domain.md §1, RECALLED); matches "
            "企业信息公示暂行条例 (2014) art. 6 [PUB]", "RECALLED")
    default_ratios_bp: dict[str, int] = rule(
        {"A": 500, "B": 1000, "C": 3000, "D": 7000},
        "ratios are set locally (国办发〔2015〕58号; domain.md §1); defaults within Daqing's "
        "A ≤5%, B 5–20%, C 21–60%, D 61–100%; plans may name their own", "LOCAL")
    default_team_size: int = rule(
        2, "行政处罚法 (2021) art. 42: at least 2 enforcement officers (domain.md §1)", "PUB")
    # The class an institution is sampled in while its first CreditLevelChanged has not arrived
    # (credit assesses every institution when it is filed, so this is only event lag): the
    # credit service's neutral class for new institutions (ELDERCARE_CREDIT_NEUTRAL_LEVEL);
    # marked credit_assessed=false in the snapshot and the directory.
    unassessed_credit_level: str = rule(
        "B", "no national class for a new institution (domain.md §3); equal to the credit "
             "service's neutral level", "UNCONFIRMED")
    check_seconds: int = rule(3600, "scheduler interval of the overdue check (no rule)",
                              "OPERATIONAL")
    targeted_workdays: int = rule(
        10, "no national deadline for a targeted inspection (重点检查) found; references.md: "
            "a municipal system gives risk cases 3/7/15 days by level", "UNCONFIRMED")

    def __post_init__(self) -> None:
        if not 1 <= self.targeted_workdays <= 60:
            raise RuleError("targeted_workdays", "must be within 1..60 working days")
        if set(self.default_ratios_bp) != set(CREDIT_LEVELS):
            raise RuleError("default_ratios_bp", "must name A, B, C and D")
        if any(not 0 < bp <= BASIS_POINTS for bp in self.default_ratios_bp.values()):
            raise RuleError("default_ratios_bp", "each ratio must be in (0, 100]")
        if self.default_team_size < 2:
            raise RuleError("default_team_size", "must be >= 2 (行政处罚法 art. 42)")
        if self.unassessed_credit_level not in CREDIT_LEVELS:
            raise RuleError("unassessed_credit_level", "must be one of A, B, C, D")
