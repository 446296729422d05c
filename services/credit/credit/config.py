"""Credit rules and their sources; every number can be overridden by an ELDERCARE_CREDIT_* variable.

Penalty disclosure (市场监督管理行政处罚信息公示规定, 总局令第45号): publish within 20 working
days (art. 9), withdraw within 3 working days of a change or revocation (art. 11), show 3 months
for public criticism or a low fine and 3 years otherwise (art. 13). What counts as a "low" fine is
set by each province: ELDERCARE_CREDIT_LOW_FINE_FEN (default) and
ELDERCARE_CREDIT_LOW_FINE_FEN_BY_PROVINCE='{"50": 1000000}' (two-digit province code → fen).

Credit level (our rule, documented in services/credit/README.md): score = 100 − Σ weight × fade;
fade is 1 for 12 months after the record, then linear to 0 at 36 months. A ≥ 90, B ≥ 75,
C ≥ 60, else D; an active serious-dishonesty listing forces D. Weights per category:
ELDERCARE_CREDIT_WEIGHTS='{"penalty": 15}'.

Serious-dishonesty list (民政部 管理办法（试行）, 2020): removal on application after 2 years
(art. 11). The total validity (3 years), the measure catalogue and the execution deadline are
UNCONFIRMED (domain.md §3, §8): ELDERCARE_CREDIT_LISTING_YEARS, ELDERCARE_CREDIT_MEASURES (JSON
list of {department, code, text}), ELDERCARE_CREDIT_EXECUTE_WORKDAYS.
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
                                  _json(e, "LOW_FINE_FEN_BY_PROVINCE", {}).items()})


def level_rules(settings: Settings) -> LevelRules:
    """Credit-level rules with any overrides from the environment."""
    e = settings.extra
    weights = {**DEFAULT_WEIGHTS, **_json(e, "WEIGHTS", {})}
    return LevelRules(weights={k: int(v) for k, v in weights.items()},
                      full_weight_months=_int(e, "FULL_WEIGHT_MONTHS", 12),
                      fade_out_months=_int(e, "FADE_OUT_MONTHS", 36, 1))


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
