"""Environment variables (ELDERCARE_INSPECTION_*) onto the inspection Rules; nothing else."""

from __future__ import annotations

from inspection.domain.model import CREDIT_LEVELS, percent_to_bp
from inspection.domain.rules import Rules
from shared.config import EnvVar, Settings, apply_env, choice, integer


def ratios(text: str) -> dict[str, int]:
    """'A=5,B=10,C=30,D=70' (percent) → basis points per level (ranges checked by Rules)."""
    try:
        pairs = dict(part.split("=", 1) for part in text.replace(" ", "").split(",") if part)
        return {lv: percent_to_bp(float(pct)) for lv, pct in pairs.items()}
    except (ValueError, OverflowError):
        raise ValueError(f"must look like A=5,B=10,C=30,D=70, got {text!r}") from None


ENV = (
    EnvVar("ELDERCARE_INSPECTION_PUBLICATION_WORKDAYS", "publication_workdays", integer(1)),
    EnvVar("ELDERCARE_INSPECTION_RATIOS", "default_ratios_bp", ratios),
    EnvVar("ELDERCARE_INSPECTION_TEAM_SIZE", "default_team_size", integer(2)),
    EnvVar("ELDERCARE_INSPECTION_UNASSESSED_CREDIT_LEVEL", "unassessed_credit_level",
           choice(CREDIT_LEVELS)),
    EnvVar("ELDERCARE_INSPECTION_OVERDUE_CHECK_SECONDS", "check_seconds", integer(1)),
    EnvVar("ELDERCARE_INSPECTION_TARGETED_WORKDAYS", "targeted_workdays", integer(1, 60)),
)


def load_rules(settings: Settings) -> Rules:
    """The inspection rules with every ELDERCARE_INSPECTION_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
