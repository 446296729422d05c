"""Environment variables (ELDERCARE_CREDIT_*) onto the credit Rules fields; nothing else.

The rules, their defaults and sources are in credit/domain/rules.py; the README lists the
variables. JSON values: LOW_FINE_FEN_BY_PROVINCE '{"50": 1000000}', WEIGHTS '{"penalty": 15}'
(merged over the defaults), THRESHOLDS '{"A": 90, "B": 75, "C": 60}', FORCE_D and DEMOTING
'["serious_dishonesty"]', MEASURES '[{"department": ..., "code": ..., "text": ...}]'.
"""

from __future__ import annotations

from typing import Any

from credit.domain.rules import DEFAULT_WEIGHTS, LEVELS, Measure, Rules
from shared.config import EnvVar, Settings, apply_env, choice, integer, json_value, text

P = "ELDERCARE_CREDIT_"


def _fen_by_province(raw: dict[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in raw.items()}


def _weights(raw: dict[str, Any]) -> dict[str, int]:
    return {**DEFAULT_WEIGHTS, **{str(k): int(v) for k, v in raw.items()}}


def _thresholds(raw: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    if set(raw) != set(LEVELS[:3]):
        raise TypeError("not {A, B, C}")
    return tuple((lv, int(raw[lv])) for lv in LEVELS[:3])


def _categories(raw: list[Any]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(c, str) and c for c in raw):
        raise TypeError("not a list of category names")
    return tuple(raw)


def _measures(raw: list[dict[str, str]]) -> tuple[Measure, ...]:
    return tuple(Measure(m["department"], m["code"], m["text"]) for m in raw)


ENV = (
    EnvVar(P + "PUBLISH_WORKDAYS", "penalty.publish_within_workdays", integer()),
    EnvVar(P + "WITHDRAW_WORKDAYS", "penalty.withdraw_within_workdays", integer()),
    EnvVar(P + "SHORT_DISPLAY_MONTHS", "penalty.short_display_months", integer(1)),
    EnvVar(P + "STANDARD_DISPLAY_MONTHS", "penalty.standard_display_months", integer(1)),
    EnvVar(P + "LOW_FINE_FEN", "penalty.low_fine_fen_default", integer()),
    EnvVar(P + "LOW_FINE_FEN_BY_PROVINCE", "penalty.low_fine_fen_by_province",
           json_value(_fen_by_province)),
    EnvVar(P + "EARLY_END_MIN_MONTHS_ORDINARY", "penalty.early_end_min_months_ordinary",
           integer()),
    EnvVar(P + "EARLY_END_MIN_MONTHS_SEVERE", "penalty.early_end_min_months_severe",
           integer()),
    EnvVar(P + "WEIGHTS", "level.weights", json_value(_weights)),
    EnvVar(P + "DEFAULT_WEIGHT", "level.default_weight", integer()),
    EnvVar(P + "FULL_WEIGHT_MONTHS", "level.full_weight_months", integer()),
    EnvVar(P + "FADE_OUT_MONTHS", "level.fade_out_months", integer(1)),
    EnvVar(P + "THRESHOLDS", "level.thresholds", json_value(_thresholds)),
    EnvVar(P + "FORCE_D", "level.force_d_categories", json_value(_categories)),
    EnvVar(P + "DEMOTING", "level.demoting_categories", json_value(_categories)),
    EnvVar(P + "NEUTRAL_LEVEL", "level.neutral_level", choice(LEVELS)),
    EnvVar(P + "NEUTRAL_MONTHS", "level.neutral_months", integer()),
    EnvVar(P + "LISTING_YEARS", "listing.period_years", integer(1)),
    EnvVar(P + "REMOVAL_AFTER_YEARS", "listing.removal_after_years", integer()),
    EnvVar(P + "EXECUTE_WORKDAYS", "listing.execute_within_workdays", integer(1)),
    EnvVar(P + "MEASURES", "listing.measures", json_value(_measures)),
    EnvVar(P + "ID_SALT", "id_salt", text),
    EnvVar(P + "CHECK_SECONDS", "check_seconds", integer(1)),
)


def load_rules(settings: Settings) -> Rules:
    """The credit rules with every ELDERCARE_CREDIT_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
