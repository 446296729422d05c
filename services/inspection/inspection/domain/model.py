"""Vocabulary and value objects of random inspections (rule numbers: domain/rules.py)."""

from __future__ import annotations

DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency")
CREDIT_LEVELS = ("A", "B", "C", "D")
OPERATOR_TYPES = ("public", "private_profit", "private_nonprofit", "public_private")
OUTCOMES = ("compliant", "problem_found", "not_applicable")
FOLLOW_UPS = ("none", "rectification_ordered", "referred_for_penalty")
METHODS = ("on_site", "document_review", "online", "sampling_test")
BASIS_POINTS = 10_000  # ratios are integers in 1/10000 so the draw never touches floats


def percent_to_bp(percent: float) -> int:
    """5 → 500, 2.5 → 250 (two decimals kept, the rest rounded)."""
    return int(round(percent * 100))


def bp_to_percent(bp: int) -> float:
    return bp / 100


def inspector_key(department: str, inspector_id: str) -> str:
    """One inspector across all rosters: <department>/<staff code>."""
    return f"{department}/{inspector_id}"


def plan_id_of(year: int, series: str, batch: int) -> str:
    """Plans are named by what they are, so a retried creation finds the same plan."""
    return f"{year}-{series}-{batch}"


def task_id_of(plan_id: str, uscc: str, attempt: int = 1) -> str:
    """The task of one drawn institution; a redraw after a voided draw gets new task ids."""
    return f"{plan_id}-{uscc}" if attempt == 1 else f"{plan_id}-{uscc}-r{attempt}"


def mask_certificate(number: str) -> str:
    """Keep the first two and last two characters of an enforcement certificate number."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
# the risk service's classes (its RiskClassChanged), lowest first; plans may sample by them
RISK_CLASSES = ("low", "medium", "high", "critical")
