"""Fire-safety rule numbers, each with its default, legal basis and domain.md tag.

消防监督检查规定 (公安部令第120号) and GB 35181-2017 were seen only in secondary copies
(domain.md §5), so every number can be overridden (fire_safety/config.py, ELDERCARE_FIRE_*).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules import RuleError, rule

_ORDER120 = "消防监督检查规定（公安部令第120号）；domain.md §5"
_GB35181 = "GB 35181-2017 重大火灾隐患判定方法；domain.md §5"


@dataclass(frozen=True)
class Rules:
    """Configurable numbers of fire inspections, hazards, orders and sealing."""

    min_inspectors: int = rule(2, f"{_ORDER120} art. 14：检查人员不少于2人", "PUB-2nd")
    service_workdays: int = rule(
        3, f"{_ORDER120}：责令限期改正通知书3个工作日内送达", "PUB-2nd")
    reinspection_workdays: int = rule(
        3, f"{_ORDER120}：期限届满或申请后3个工作日内复查", "PUB-2nd")
    collective_min: int = rule(3, f"{_GB35181}：集体讨论不少于3人", "PUB-2nd")
    panel_min: int = rule(7, f"{_GB35181}：专家组不少于7人", "PUB-2nd")
    panel_share_num: int = rule(2, f"{_GB35181}：专家组2/3以上同意（分子）", "PUB-2nd")
    panel_share_den: int = rule(3, f"{_GB35181}：专家组2/3以上同意（分母）", "PUB-2nd")
    max_deadline_workdays: int = rule(
        90, "no national cap on a rectification deadline found (domain.md §5); a sanity "
            "bound", "UNCONFIRMED")
    sealing_confirm_days: int = rule(
        1, f"{_ORDER120}：紧急情况下临时查封24小时内集体确认", "PUB-2nd")
    check_seconds: int = rule(3600, "scheduler interval of the overdue check (no rule)",
                              "OPERATIONAL")

    def __post_init__(self) -> None:
        if self.panel_share_num > self.panel_share_den:
            raise RuleError("panel_share_num", "must be <= the panel share denominator")
