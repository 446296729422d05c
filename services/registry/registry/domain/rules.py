"""The registry's rule numbers, each with its default, legal basis and domain.md tag.

Configured from the environment in registry/config.py (one ELDERCARE_* variable per field).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules import RuleError, rule

_FILING = "养老机构管理办法（民政部令第66号，2020-11-01）；domain.md §6"


@dataclass(frozen=True)
class Rules:
    """Configurable numbers of the filing rules."""

    filing_threshold_beds: int = rule(
        10, f"{_FILING}：全日集中住宿照料、床位≥10张的养老机构须备案", "PUB-2nd")
    filing_deadline_workdays: int = rule(
        10, f"{_FILING}：收住老年人后10个工作日内备案", "PUB-2nd")
    # No rule names a grace period before an unfiled operator is flagged (domain.md §6/§8);
    # 20 mirrors the 20-working-day publication windows elsewhere. Configure, do not rely on it.
    unfiled_grace_workdays: int = rule(
        20, "none found (domain.md §6, §8); placeholder equal to the 20-working-day windows "
            "of 企业信息公示暂行条例 art. 6", "UNCONFIRMED")
    check_seconds: int = rule(3600, "scheduler interval of the unfiled check (no rule)",
                              "OPERATIONAL")

    def __post_init__(self) -> None:
        if self.filing_threshold_beds < 1:
            raise RuleError("filing_threshold_beds", "must be >= 1")
