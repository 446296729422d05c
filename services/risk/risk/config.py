"""Environment variables (ELDERCARE_RISK_*) onto the risk Rules fields."""

from __future__ import annotations

from risk.domain.rules import Rules, rules_from_json
from shared.config import EnvVar, Settings, apply_env, integer, json_value

ENV = (
    EnvVar("ELDERCARE_RISK_RULES", "risk_rules", json_value(rules_from_json)),
    EnvVar("ELDERCARE_RISK_YELLOW_AT", "yellow_at", integer(1)),
    EnvVar("ELDERCARE_RISK_ORANGE_AT", "orange_at", integer(1)),
    EnvVar("ELDERCARE_RISK_RED_AT", "red_at", integer(1)),
    EnvVar("ELDERCARE_RISK_CHECK_SECONDS", "check_seconds", integer(1)),
)


def load_rules(settings: Settings) -> Rules:
    """The risk rules with every ELDERCARE_RISK_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
