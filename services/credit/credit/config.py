"""Credit rules and their sources; every number can be overridden by an ELDERCARE_CREDIT_* variable.

Penalty disclosure (市场监督管理行政处罚信息公示规定, 总局令第45号): publish within 20 working
days (art. 9), withdraw within 3 working days of a change or revocation (art. 11), show 3 months
for public criticism or a low fine and 3 years otherwise (art. 13). What counts as a "low" fine is
set by each province: ELDERCARE_CREDIT_LOW_FINE_FEN (default) and
ELDERCARE_CREDIT_LOW_FINE_FEN_BY_PROVINCE='{"50": 1000000}' (two-digit province code → fen).
Early end of display (art. 14) only after a minimum time on display, per severity (NDRC
信用修复管理办法, in force 2026-04-01: repair after the minimum period, ordinary 3 months, severe
1 year): ELDERCARE_CREDIT_EARLY_END_MIN_MONTHS_ORDINARY / ..._SEVERE.

Credit level (credit/domain/level.py, basis and invariants there; README "Credit level"):
score = 100 − Σ weight × fade; fade is 1 for 12 months after the record, then linear to 0 at
36 months (ELDERCARE_CREDIT_FULL_WEIGHT_MONTHS, ..._FADE_OUT_MONTHS). Thresholds A ≥ 90,
B ≥ 75, C ≥ 60, else D: ELDERCARE_CREDIT_THRESHOLDS='{"A": 90, "B": 75, "C": 60}'. Weights per
category or family, each ≥ 0 (a negative weight would let a negative record improve a level):
ELDERCARE_CREDIT_WEIGHTS='{"penalty": 15}'. Force D while not withdrawn:
ELDERCARE_CREDIT_FORCE_D='["serious_dishonesty"]'. One class down per record at full weight:
ELDERCARE_CREDIT_DEMOTING='["major_fire_hazard", "serious_dishonesty"]'. A newly filed
institution is at most ELDERCARE_CREDIT_NEUTRAL_LEVEL (B) for ELDERCARE_CREDIT_NEUTRAL_MONTHS
(12) after its filing date: both UNCONFIRMED (no national rule for a new institution's class).

Serious-dishonesty list (民政部 管理办法（试行）, 2020): removal on application, and credit
repair, only after 2 years (art. 11; ELDERCARE_CREDIT_REMOVAL_AFTER_YEARS); a wrong listing is
corrected (ListingCorrected) at any time. The total validity (3 years), the measure catalogue
and the execution deadline are UNCONFIRMED (domain.md §3, §8):
ELDERCARE_CREDIT_LISTING_YEARS, ELDERCARE_CREDIT_MEASURES (JSON list of {department, code,
text}), ELDERCARE_CREDIT_EXECUTE_WORKDAYS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from credit.domain.model import LevelRules, ListingRules, Measure, PenaltyRules
from shared.config import Settings, int_setting

P = "ELDERCARE_CREDIT_"
DEFAULT_WEIGHTS = {
    "penalty": 15, "unfiled_operation": 10, "inspection_problem": 5, "major_fire_hazard": 20,
    "fire_rectification_overdue": 25, "escrow_shortfall": 20, "deposit_rejected": 5,
    "refund_overdue": 10, "serious_dishonesty": 40,
}
DEFAULT_MEASURES = (
    Measure("market_supervision", "restrict_legal_rep",
            "限制其法定代表人、主要负责人担任其他企业的法定代表人、负责人"),
    Measure("finance", "no_subsidy", "取消或限制享受财政补贴、政府资金支持"),
    Measure("finance", "no_procurement", "限制参与政府采购、政府购买服务和招标投标"),
    Measure("civil_affairs", "no_star_rating", "不得参加养老机构等级（星级）评定和评优评先"),
    Measure("civil_affairs", "more_inspection", "提高随机抽查比例和频次，列为重点监管对象"),
    Measure("fire_rescue", "fire_focus", "列为消防监督检查重点单位，提高检查频次"),
)
# The salt of the responsible persons' ID hashes; production sets its own secret value.
DEFAULT_ID_SALT = "dev-only-credit-salt"


def _int(extra: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    return int_setting(extra, P + name, default, minimum)


def _json(extra: Mapping[str, str], name: str, default: Any) -> Any:
    raw = extra.get(P + name, "").strip()
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise ValueError(f"{P}{name} must be JSON") from None


def penalty_rules(settings: Settings) -> PenaltyRules:
    """Disclosure rules with any overrides from the environment."""
    e = settings.extra
    return PenaltyRules(
        publish_within_workdays=_int(e, "PUBLISH_WORKDAYS", 20),
        withdraw_within_workdays=_int(e, "WITHDRAW_WORKDAYS", 3),
        short_display_months=_int(e, "SHORT_DISPLAY_MONTHS", 3, 1),
        standard_display_months=_int(e, "STANDARD_DISPLAY_MONTHS", 36, 1),
        low_fine_fen_default=_int(e, "LOW_FINE_FEN", 1_000_000),
        low_fine_fen_by_province={str(k): int(v) for k, v in
                                  _json(e, "LOW_FINE_FEN_BY_PROVINCE", {}).items()},
        early_end_min_months_ordinary=_int(e, "EARLY_END_MIN_MONTHS_ORDINARY", 3),
        early_end_min_months_severe=_int(e, "EARLY_END_MIN_MONTHS_SEVERE", 12))


def _categories(extra: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = _json(extra, name, None)
    if raw is None:
        return default
    if not isinstance(raw, list) or not all(isinstance(c, str) and c for c in raw):
        raise ValueError(f"{P}{name} must be a JSON list of category names")
    return tuple(raw)


def _thresholds(extra: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    raw = _json(extra, "THRESHOLDS", {"A": 90, "B": 75, "C": 60})
    if not isinstance(raw, dict) or set(raw) != {"A", "B", "C"}:
        raise ValueError(f"{P}THRESHOLDS must be JSON {{\"A\": n, \"B\": n, \"C\": n}}")
    out = tuple((lv, int(raw[lv])) for lv in ("A", "B", "C"))
    if not 100 >= out[0][1] >= out[1][1] >= out[2][1] >= 0:
        raise ValueError(f"{P}THRESHOLDS must satisfy 100 >= A >= B >= C >= 0")
    return out


def level_rules(settings: Settings) -> LevelRules:
    """Credit-level rules with any overrides from the environment (checked: weights ≥ 0,
    thresholds descending, a neutral level A–D), so every configuration keeps the invariants."""
    e = settings.extra
    weights = {k: int(v) for k, v in {**DEFAULT_WEIGHTS, **_json(e, "WEIGHTS", {})}.items()}
    if any(v < 0 for v in weights.values()):
        raise ValueError(f"{P}WEIGHTS must be >= 0 (a record may never raise a level)")
    neutral = e.get(P + "NEUTRAL_LEVEL", "").strip().upper() or "B"
    if neutral not in ("A", "B", "C", "D"):
        raise ValueError(f"{P}NEUTRAL_LEVEL must be one of A, B, C, D")
    full = _int(e, "FULL_WEIGHT_MONTHS", 12)
    fade_out = _int(e, "FADE_OUT_MONTHS", 36, 1)
    if fade_out < full:
        raise ValueError(f"{P}FADE_OUT_MONTHS must be >= {P}FULL_WEIGHT_MONTHS")
    return LevelRules(weights=weights, full_weight_months=full, fade_out_months=fade_out,
                      thresholds=_thresholds(e),
                      force_d_categories=_categories(e, "FORCE_D", ("serious_dishonesty",)),
                      demoting_categories=_categories(
                          e, "DEMOTING", ("major_fire_hazard", "serious_dishonesty")),
                      neutral_level=neutral, neutral_months=_int(e, "NEUTRAL_MONTHS", 12))


def listing_rules(settings: Settings) -> ListingRules:
    """Listing rules and the joint-punishment catalogue with any overrides."""
    e = settings.extra
    raw = _json(e, "MEASURES", None)
    measures = DEFAULT_MEASURES if raw is None else tuple(
        Measure(m["department"], m["code"], m["text"]) for m in raw)
    return ListingRules(period_years=_int(e, "LISTING_YEARS", 3, 1),
                        removal_after_years=_int(e, "REMOVAL_AFTER_YEARS", 2),
                        execute_within_workdays=_int(e, "EXECUTE_WORKDAYS", 10, 1),
                        measures=measures)


def id_salt(settings: Settings) -> str:
    return settings.extra.get(P + "ID_SALT", "") or DEFAULT_ID_SALT


def check_interval_seconds(settings: Settings) -> int:
    return _int(settings.extra, "CHECK_SECONDS", 3600, 1)
