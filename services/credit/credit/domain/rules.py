"""Credit rule numbers, each with its default, legal basis and domain.md tag.

Three groups (penalty disclosure, credit level, serious-dishonesty list) plus the ID-hash salt
and the scheduler interval; configured in credit/config.py (ELDERCARE_CREDIT_*). The level
rule's reasoning and invariants are in domain/level.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules import RuleError, group, rule

_ORDER45 = "市场监督管理行政处罚信息公示规定（总局令第45号）；domain.md §2"
_REPAIR = "信用修复管理办法（国家发展改革委，2026-04-01施行）；domain.md §2"
_LIST = "养老服务市场失信联合惩戒对象名单管理办法（试行）（民政部，2020）；domain.md §3"
_LEVEL = ("credit-based classified supervision (国发〔2019〕5号, domain.md §1); no national "
          "text fixes this number: the platform's rule (domain/level.py)")
LEVELS = ("A", "B", "C", "D")  # best first

DEFAULT_WEIGHTS = {
    "penalty": 15, "unfiled_operation": 10, "inspection_problem": 5, "major_fire_hazard": 20,
    "fire_rectification_overdue": 25, "escrow_shortfall": 20, "deposit_rejected": 5,
    "refund_overdue": 10, "serious_dishonesty": 40,
}


@dataclass(frozen=True)
class Measure:
    """One joint-punishment measure in the catalogue."""

    department: str
    code: str
    text: str


DEFAULT_MEASURES = (
    Measure("market_supervision", "restrict_legal_rep",
            "限制其法定代表人、主要负责人担任其他企业的法定代表人、负责人"),
    Measure("finance", "no_subsidy", "取消或限制享受财政补贴、政府资金支持"),
    Measure("finance", "no_procurement", "限制参与政府采购、政府购买服务和招标投标"),
    Measure("civil_affairs", "no_star_rating", "不得参加养老机构等级（星级）评定和评优评先"),
    Measure("civil_affairs", "more_inspection", "提高随机抽查比例和频次，列为重点监管对象"),
    Measure("fire_rescue", "fire_focus", "列为消防监督检查重点单位，提高检查频次"),
    # seed policy 9 (维护老年人消费权益): 区公安分局 shares the fight against illegal fund-raising
    # in the name of elderly care
    Measure("public_security", "fundraising_watch",
            "列为以养老服务名义非法集资风险重点关注对象，依法核查涉嫌非法集资线索"),
)


@dataclass(frozen=True)
class PenaltyRules:
    """Disclosure of administrative penalties."""

    publish_within_workdays: int = rule(20, f"{_ORDER45} art. 9", "PUB")
    withdraw_within_workdays: int = rule(3, f"{_ORDER45} art. 11", "PUB")
    short_display_months: int = rule(
        3, f"{_ORDER45} art. 13: public criticism or a low fine", "PUB")
    standard_display_months: int = rule(36, f"{_ORDER45} art. 13: otherwise 3 years", "PUB")
    low_fine_fen_default: int = rule(
        1_000_000, f"{_ORDER45} art. 13: provinces define a low fine; 10,000 元 is a "
                   "placeholder", "UNCONFIRMED")
    low_fine_fen_by_province: dict[str, int] = rule(
        {}, f"{_ORDER45} art. 13: each province's own low-fine threshold (province code → fen)",
        "LOCAL")
    # Minimum months on display before an early end (art. 14); see penalty.severity().
    early_end_min_months_ordinary: int = rule(
        3, f"{_REPAIR}: ordinary, repair after the minimum of 3 months", "PUB-2nd")
    early_end_min_months_severe: int = rule(
        12, f"{_REPAIR}: severe, repair after the minimum of 1 year", "PUB-2nd")

    def __post_init__(self) -> None:
        for name in ("short_display_months", "standard_display_months"):
            if getattr(self, name) < 1:
                raise RuleError(name, "must be >= 1")

    def low_fine_fen(self, district_code: str) -> int:
        """The low-fine threshold of the province the deciding authority is in."""
        return self.low_fine_fen_by_province.get(district_code[:2], self.low_fine_fen_default)


@dataclass(frozen=True)
class LevelRules:
    """Numbers of the credit-level rule (domain/level.py).

    Categories in the tuples match a record's category or its family ("penalty")."""

    weights: dict[str, int] = rule(DEFAULT_WEIGHTS, f"{_LEVEL}: points per category", "LOCAL")
    default_weight: int = rule(10, f"{_LEVEL}: points of a category not in weights", "LOCAL")
    full_weight_months: int = rule(12, f"{_LEVEL}: months at full weight", "LOCAL")
    fade_out_months: int = rule(36, f"{_LEVEL}: weight reaches 0 (3-year display, "
                                    f"{_ORDER45} art. 13)", "LOCAL")
    thresholds: tuple[tuple[str, int], ...] = rule(
        (("A", 90), ("B", 75), ("C", 60)), f"{_LEVEL}: SAMR risk classes A/B/C/D", "LOCAL")
    force_d_categories: tuple[str, ...] = rule(
        ("serious_dishonesty",), f"{_LIST}: a listed institution is the worst class", "LOCAL")
    demoting_categories: tuple[str, ...] = rule(
        ("major_fire_hazard", "serious_dishonesty"),
        f"{_LIST}: a major fire hazard left uncorrected is a listing ground", "LOCAL")
    neutral_level: str = rule(
        "B", "no national rule for a new institution's class (domain.md §3)", "UNCONFIRMED")
    neutral_months: int = rule(
        12, "no national rule for a new institution's class (domain.md §3)", "UNCONFIRMED")

    def __post_init__(self) -> None:
        if any(v < 0 for v in (*self.weights.values(), self.default_weight)):
            raise RuleError("weights", "must be >= 0 (a record may never raise a level)")
        if self.fade_out_months < max(1, self.full_weight_months):
            raise RuleError("fade_out_months", "must be >= 1 and >= the full-weight months")
        if [lv for lv, _ in self.thresholds] != list(LEVELS[:3]) or not (
                100 >= self.thresholds[0][1] >= self.thresholds[1][1]
                >= self.thresholds[2][1] >= 0):
            raise RuleError("thresholds", "must be A, B, C with 100 >= A >= B >= C >= 0")
        if self.neutral_level not in LEVELS:
            raise RuleError("neutral_level", "must be one of A, B, C, D")


@dataclass(frozen=True)
class ListingRules:
    """The serious-dishonesty list and its joint-punishment catalogue."""

    period_years: int = rule(3, f"{_LIST}: total validity not found (recalled 3 years)",
                             "UNCONFIRMED")
    removal_after_years: int = rule(2, f"{_LIST} art. 11: removal only after 2 years",
                                    "PUB-2nd")
    execute_within_workdays: int = rule(
        10, "no deadline for departments to execute a measure found (domain.md §3)",
        "UNCONFIRMED")
    measures: tuple[Measure, ...] = rule(
        DEFAULT_MEASURES, f"{_LIST}: measures and departments not found; typical ones, and "
                          "企业信息公示暂行条例 arts. 17–18 [PUB]", "UNCONFIRMED")

    def __post_init__(self) -> None:
        if self.period_years < 1:
            raise RuleError("period_years", "must be >= 1")
        if self.execute_within_workdays < 1:
            raise RuleError("execute_within_workdays", "must be >= 1")


@dataclass(frozen=True)
class Rules:
    """All of the credit service's configurable numbers."""

    penalty: PenaltyRules = group(PenaltyRules, _ORDER45)
    level: LevelRules = group(LevelRules, _LEVEL)
    listing: ListingRules = group(ListingRules, _LIST)
    # Hashing responsible persons' ID numbers is the "necessary processing" of personal
    # information; production sets its own secret.
    id_salt: str = rule("dev-only-credit-salt",
                        f"{_ORDER45} arts. 5–8: personal information processed before "
                        "publication; the salt itself is a deployment secret", "OPERATIONAL")
    check_seconds: int = rule(3600, "scheduler interval of the credit checks (no rule)",
                              "OPERATIONAL")
