"""Inspection settings beyond the kernel's (ELDERCARE_* environment variables)."""

from __future__ import annotations

from inspection.domain.model import CREDIT_LEVELS, Rules, percent_to_bp
from shared.config import Settings, int_setting

# 20 working days after recording (domain.md §1: national rule RECALLED, matches 企业信息公示
# 暂行条例 art. 6); configurable because local practice differs.
PUBLICATION_WORKDAYS = ("ELDERCARE_INSPECTION_PUBLICATION_WORKDAYS", 20)
TEAM_SIZE = ("ELDERCARE_INSPECTION_TEAM_SIZE", 2)  # 行政处罚法 art. 42: at least 2 officers
CHECK_SECONDS = ("ELDERCARE_INSPECTION_OVERDUE_CHECK_SECONDS", 3600)
# Default ratios in percent per credit level; local examples only (Daqing A≤5, B 5–20,
# C 21–60, D 61–100). Plans may name their own.
RATIOS = "ELDERCARE_INSPECTION_RATIOS"
DEFAULT_RATIOS = "A=5,B=10,C=30,D=70"
# Class of a filed institution whose credit level has not arrived yet; keep it equal to the
# credit service's ELDERCARE_CREDIT_NEUTRAL_LEVEL (services/inspection/README.md).
UNASSESSED_LEVEL = ("ELDERCARE_INSPECTION_UNASSESSED_CREDIT_LEVEL", "B")


def parse_ratios(text: str) -> dict[str, int]:
    """'A=5,B=10,C=30,D=70' (percent) → basis points per level; every level required."""
    pairs = dict(part.split("=", 1) for part in text.replace(" ", "").split(",") if part)
    if set(pairs) != set(CREDIT_LEVELS):
        raise ValueError(f"{RATIOS} must name A, B, C and D, got {text!r}")
    out = {lv: percent_to_bp(float(pairs[lv])) for lv in CREDIT_LEVELS}
    if any(not 0 < bp <= 10_000 for bp in out.values()):
        raise ValueError(f"{RATIOS}: each ratio must be in (0, 100], got {text!r}")
    return out


def load_rules(settings: Settings) -> Rules:
    extra = settings.extra
    unassessed = extra.get(UNASSESSED_LEVEL[0], "").strip().upper() or UNASSESSED_LEVEL[1]
    if unassessed not in CREDIT_LEVELS:
        raise ValueError(f"{UNASSESSED_LEVEL[0]} must be one of A, B, C, D")
    return Rules(publication_workdays=int_setting(extra, *PUBLICATION_WORKDAYS, 1),
                 default_ratios_bp=parse_ratios(extra.get(RATIOS, DEFAULT_RATIOS)),
                 default_team_size=int_setting(extra, *TEAM_SIZE, 2),
                 unassessed_credit_level=unassessed)


def check_interval_seconds(settings: Settings) -> int:
    return int_setting(settings.extra, *CHECK_SECONDS, 1)
