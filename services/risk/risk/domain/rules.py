"""Risk rules: which signals, over which window, how many, weigh how much; and the scores at
which an institution's alert turns yellow, orange and red. None of these numbers is a
national rule: they follow the patterns issue 14 names and stay configuration
(ELDERCARE_RISK_RULES as JSON, the thresholds as numbers; risk/config.py)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.authority import DEPARTMENTS
from shared.domain import Record
from shared.rules import RuleError, rule

LEVELS = ("yellow", "orange", "red")  # in rising order
LEVEL_NAMES = {"yellow": "黄色", "orange": "橙色", "red": "红色"}
CLASSES = {None: "low", "yellow": "medium", "orange": "high", "red": "critical"}
CLASS_NAMES = {"low": "低风险", "medium": "一般风险", "high": "较高风险", "critical": "高风险"}
INSPECTING_LEVELS = ("orange", "red")  # a targeted inspection follows


@dataclass(frozen=True)
class RiskRule(Record):
    """Fires when at least ``threshold`` distinct things of kind ``signal`` happened within
    ``window_days`` (0: are open now); adds ``weight``; ``department`` inspects."""

    code: str
    label: str
    signal: str
    window_days: int
    threshold: int
    weight: int
    department: str


CA, FR = "civil_affairs", "fire_rescue"
DEFAULT_RULES: tuple[RiskRule, ...] = (
    RiskRule("elder_abuse", "欺老虐老投诉", "complaint:elder_abuse", 30, 1, 100, CA),
    RiskRule("repeated_complaints", "30 日内多次被投诉", "complaint", 30, 3, 30, CA),
    RiskRule("fee_complaints", "30 日内多次收费押金投诉", "complaint:fees_deposits", 30, 3, 10,
             CA),
    RiskRule("fundraising_tip", "非法集资线索", "complaint:illegal_fundraising", 90, 1, 40, CA),
    RiskRule("major_hazard", "重大火灾隐患未消除", "major_hazard", 0, 1, 40, FR),
    RiskRule("rectification_overdue", "火灾隐患逾期未整改", "rectification_overdue", 0, 1, 40,
             FR),
    RiskRule("deposit_shortfall", "预收费专户资金缺口", "deposit_shortfall", 0, 1, 40, CA),
    RiskRule("refund_overdue", "押金退款逾期", "refund_overdue", 0, 1, 30, CA),
    RiskRule("contract_surge", "30 日内集中终止入住合同", "contract_ended", 30, 5, 30, CA),
    RiskRule("refund_surge", "30 日内集中退款", "refund_issued", 30, 5, 20, CA),
    RiskRule("over_cap", "超上限收取押金或预收费", "prepayment_over_cap", 90, 1, 20, CA),
    RiskRule("recent_penalty", "一年内受到行政处罚", "penalty", 365, 1, 20, CA),
    RiskRule("listed", "列入严重失信名单", "listed", 0, 1, 60, CA),
    RiskRule("unfiled", "疑似未备案经营", "unfiled", 0, 1, 60, CA),
)
_BASIS = ("issue 14's patterns; references.md: a municipal system warns by red/orange/yellow "
          "levels; no national weights found")


def rules_from_json(value: object) -> tuple[RiskRule, ...]:
    if not isinstance(value, list):
        raise TypeError("a list of rules")
    return tuple(RiskRule.from_data(item) for item in value)


@dataclass(frozen=True)
class Rules:
    risk_rules: tuple[RiskRule, ...] = rule(DEFAULT_RULES, _BASIS, "UNCONFIRMED")
    yellow_at: int = rule(30, _BASIS, "UNCONFIRMED")
    orange_at: int = rule(60, _BASIS, "UNCONFIRMED")
    red_at: int = rule(100, _BASIS, "UNCONFIRMED")
    check_seconds: int = rule(3600, "re-assessment interval as windows pass (no rule)",
                              "OPERATIONAL")

    def __post_init__(self) -> None:
        if not 1 <= self.yellow_at < self.orange_at < self.red_at <= 10_000:
            raise RuleError("yellow_at", "thresholds must rise: 1 <= yellow < orange < red")
        codes = [r.code for r in self.risk_rules]
        if len(codes) != len(set(codes)):
            raise RuleError("risk_rules", "rule codes must be unique")
        for r in self.risk_rules:
            if r.window_days < 0 or r.threshold < 1 or r.weight < 0:
                raise RuleError("risk_rules", f"{r.code}: window >= 0, threshold >= 1, "
                                              "weight >= 0")
            if r.department not in DEPARTMENTS:
                raise RuleError("risk_rules", f"{r.code}: unknown department {r.department}")

    def level_of(self, score: int) -> str | None:
        for level, at in (("red", self.red_at), ("orange", self.orange_at),
                          ("yellow", self.yellow_at)):
            if score >= at:
                return level
        return None


def rank(level: str | None) -> int:
    return 0 if level is None else LEVELS.index(level) + 1
