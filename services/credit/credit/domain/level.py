"""The credit level rule (信用等级 A/B/C/D): the one place it is computed; numbers in LevelRules.

Basis: credit-based classified supervision (国发〔2019〕5号: lower sampling for good credit and
low risk, higher for dishonest or high-risk entities; SAMR risk classes A/B/C/D), and the
elderly-care serious-dishonesty list (民政部 养老服务市场失信联合惩戒对象名单管理办法（试行）:
a major fire hazard left uncorrected is a listing ground; a listed institution is the worst
class). No national text fixes weights, decay, thresholds or a neutral start: those are this
platform's rule, each configurable (credit/domain/rules.py, services/credit/README.md).

The rule, for the records R of one institution on day ``today``:

1. score = max(0, round(100 − Σ weight × fade)) over records not withdrawn; fade is 1 for
   ``full_weight_months``, then linear to 0 at ``fade_out_months``. score_level = first class
   whose threshold the score reaches (A ≥ 90, B ≥ 75, C ≥ 60), else D.
2. Neutral start (unknown is not good): until ``neutral_months`` after the filing date carried
   by the registry's InstitutionFiled (and always, for a file never filed), the level is at most
   ``neutral_level``.
3. Demotion: every demoting record (default major fire hazard, serious dishonesty) still at full
   weight lowers the level of 1–2 by one more class.
4. Force D: a force-D record (default the serious-dishonesty listing) not withdrawn gives D.

Invariants (tests/unit/credit/test_level_rule.py, hypothesis): with every weight ≥ 0, adding a
record never improves the level and withdrawing one never worsens it; a demoting record at full
weight lowers the level by at least one class (unless already D); within the neutral period the
level is never above the neutral class. They hold because every step is monotone in R.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from credit.domain.model import add_months
from credit.domain.rules import LEVELS, LevelRules

RULES = ("score", "neutral_period", "demotion", "force_d")


@dataclass(frozen=True)
class Record:
    """One credit record as the level sees it (points fixed when it was added)."""

    category: str
    points: int
    occurred_on: date
    withdrawn: bool = False


@dataclass(frozen=True)
class Counted:
    """How one record weighs today."""

    record_id: str
    category: str
    points: int
    occurred_on: date
    fade: float
    weight: float  # points × fade
    demotes: bool
    forces_d: bool


@dataclass(frozen=True)
class Assessment:
    """The level with its reasons (shown to regulators only)."""

    level: str
    score: int
    score_level: str
    neutral_until: date | None  # end of the neutral period (None: never filed)
    neutral_applies: bool
    demoted_by: tuple[str, ...]
    forced_by: tuple[str, ...]
    counted: tuple[Counted, ...]
    determined_by: str  # one of RULES: the last step that set the level


def worst(*levels: str) -> str:
    """The lowest of the classes (D is the worst)."""
    return max(levels, key=LEVELS.index)


def below(level: str, classes: int = 1) -> str:
    """``classes`` classes lower, stopping at D."""
    return LEVELS[min(len(LEVELS) - 1, LEVELS.index(level) + classes)]


def fade(occurred_on: date, today: date, rules: LevelRules) -> float:
    """Full weight for ``full_weight_months``, then linearly down to 0 at ``fade_out_months``."""
    full_until = add_months(occurred_on, rules.full_weight_months)
    zero_at = add_months(occurred_on, rules.fade_out_months)
    if today <= full_until:
        return 1.0
    if today >= zero_at:
        return 0.0
    return (zero_at - today).days / (zero_at - full_until).days


def in_categories(category: str, names: tuple[str, ...]) -> bool:
    """The category or its family ("penalty.fire_safety" → "penalty") is named."""
    return category in names or category.split(".", 1)[0] in names


def score_level(score: int, rules: LevelRules) -> str:
    for level, minimum in rules.thresholds:
        if score >= minimum:
            return level
    return "D"


def neutral_until(filed_on: date | None, rules: LevelRules) -> date | None:
    return add_months(filed_on, rules.neutral_months) if filed_on else None


def assess(records: Mapping[str, Record], today: date, rules: LevelRules,
           filed_on: date | None) -> Assessment:
    """The level of an institution filed on ``filed_on`` (None: not filed) with ``records``."""
    counted = []
    for rid, r in sorted(records.items(), key=lambda kv: (kv[1].occurred_on, kv[0])):
        if r.withdrawn:
            continue
        f = fade(r.occurred_on, today, rules)
        counted.append(Counted(rid, r.category, r.points, r.occurred_on, f, r.points * f,
                               demotes=f == 1.0 and in_categories(r.category,
                                                                  rules.demoting_categories),
                               forces_d=in_categories(r.category, rules.force_d_categories)))
    score = max(0, round(100 - sum(c.weight for c in counted)))
    by_score = score_level(score, rules)
    until = neutral_until(filed_on, rules)
    neutral = until is None or today < until
    capped = worst(by_score, rules.neutral_level) if neutral else by_score
    demoted_by = tuple(c.record_id for c in counted if c.demotes)
    demoted = below(capped, len(demoted_by))
    forced_by = tuple(c.record_id for c in counted if c.forces_d)
    level = "D" if forced_by else demoted
    if forced_by:
        rule = "force_d"
    elif demoted != capped:
        rule = "demotion"
    elif capped != by_score:
        rule = "neutral_period"
    else:
        rule = "score"
    return Assessment(level=level, score=score, score_level=by_score, neutral_until=until,
                      neutral_applies=neutral, demoted_by=demoted_by, forced_by=forced_by,
                      counted=tuple(counted), determined_by=rule)
