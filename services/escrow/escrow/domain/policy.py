"""Jurisdiction policies (预收费监管规则), versioned by effective date, and shipped defaults."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from escrow.domain import events  # module import: events.py types its fields with Terms
from escrow.domain.errors import Conflict, InvalidCommand, NotFound
from shared.domain import Event

BASES = ("monthly_service_fee", "monthly_bed_fee")
RESERVE_KINDS = ("amount", "percentage")
JURISDICTION = re.compile(r"^[a-z0-9_]{2,40}$")
DEFAULTS_FROM = date(2000, 1, 1)  # shipped defaults apply to any contract start date


@dataclass(frozen=True)
class Ceiling:
    """The national ceilings every local cap lies within (民发〔2024〕19号: provinces set caps
    within them): deposit ≤ ``deposit_bed_fee_multiple`` × the monthly bed fee, prepaid service
    fees ≤ ``prepaid_months`` months. Configurable (ELDERCARE_ESCROW_NATIONAL_*), default 12/12.
    """

    deposit_bed_fee_multiple: int = 12
    prepaid_months: int = 12

    def to_data(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Ceiling:
        """Contracts registered before the ceiling was recorded get the statutory default."""
        return cls(**data) if data else cls()


NATIONAL_CEILING = Ceiling()


@dataclass(frozen=True)
class Terms:
    """The numbers of one policy version; money in integer fen."""

    deposit_cap_multiple: int
    deposit_cap_base: str
    prepaid_cap_months: int
    membership_allowed: bool
    membership_cap_multiple: int | None
    refund_deadline_days: int
    reserve_kind: str
    reserve_amount_fen: int
    reserve_basis_points: int
    basis: str

    def to_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Terms:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls)})

    def reserve_for(self, liabilities_fen: int) -> int:
        """Risk reserve: a fixed sum, or a share of what is owed (rounded up to the fen)."""
        if self.reserve_kind == "amount":
            return self.reserve_amount_fen
        return -(-liabilities_fen * self.reserve_basis_points // 10_000)


@dataclass(frozen=True)
class PolicyVersion:
    """One version of a jurisdiction's policy; version 0 is the shipped default."""

    jurisdiction: str
    version: int
    effective_from: date
    terms: Terms

    def ref(self) -> events.PolicyRef:
        return events.PolicyRef(self.jurisdiction, self.version, self.effective_from)


def check_terms(t: Terms, ceiling: Ceiling = NATIONAL_CEILING) -> None:
    """Raise InvalidCommand with every rule the terms break.

    A local multiple above the national one exceeds the national ceiling whatever the fees:
    on the bed fee directly, and on the service fee because the bed fee is part of it
    (multiple × service fee ≥ multiple × bed fee > national multiple × bed fee).
    """
    errors: dict[str, list[str]] = {}
    dep, months = ceiling.deposit_bed_fee_multiple, ceiling.prepaid_months
    if t.deposit_cap_base not in BASES:
        errors["deposit_cap_base"] = [f"须为 {' / '.join(BASES)}"]
    if not 0 <= t.deposit_cap_multiple <= dep:
        errors["deposit_cap_multiple"] = [
            f"须在 0–{dep} 之间：超过国家上限（押金不超过 {dep} 个月床位费，民发〔2024〕19号）"]
    if not 0 <= t.prepaid_cap_months <= months:
        errors["prepaid_cap_months"] = [
            f"须在 0–{months} 个月之间：超过国家上限（预收服务费不超过 {months} 个月，"
            "民发〔2024〕19号）"]
    if t.membership_allowed and t.membership_cap_multiple is None:
        errors["membership_cap_multiple"] = ["允许收取会员费时必须设定上限"]
    if t.refund_deadline_days < 0:
        errors["refund_deadline_days"] = ["不能为负数"]
    errors.update(_reserve_errors(t))
    if errors:
        raise InvalidCommand(errors)


def _reserve_errors(t: Terms) -> dict[str, list[str]]:
    if t.reserve_kind not in RESERVE_KINDS:
        return {"reserve_kind": [f"须为 {' / '.join(RESERVE_KINDS)}"]}
    if t.reserve_amount_fen < 0:
        return {"reserve_amount_fen": ["不能为负数"]}
    if not 0 <= t.reserve_basis_points <= 10_000:
        return {"reserve_basis_points": ["须在 0–10000（万分比）之间"]}
    return {}


def default_policies(refund_deadline_days: int, reserve_basis_points: int,
                     ceiling: Ceiling = NATIONAL_CEILING) -> dict[str, PolicyVersion]:
    """Seed rule (Chongqing), national ceilings and Beijing; the UNCONFIRMED numbers are given.

    Every contract's effective cap is the lower of its jurisdiction's cap and the national
    ceiling (see ``caps.cap_for``): Chongqing's 6 × service fee can exceed 12 × bed fee.
    """

    def terms(multiple: int, base: str, months: int, basis: str) -> Terms:
        # membership fees: no national figure (domain.md §4), so not accepted until a
        # jurisdiction publishes a version with its own cap
        return Terms(multiple, base, months, False, None, refund_deadline_days, "percentage",
                     0, reserve_basis_points, basis)

    table = {
        "national": terms(ceiling.deposit_bed_fee_multiple, "monthly_bed_fee",
                          ceiling.prepaid_months,
                          f"民发〔2024〕19号：押金≤{ceiling.deposit_bed_fee_multiple}个月床位费，"
                          f"预收服务费≤{ceiling.prepaid_months}个月"),
        "chongqing": terms(min(6, ceiling.deposit_bed_fee_multiple), "monthly_service_fee",
                           ceiling.prepaid_months,
                           "渝中区实施方案（种子文件000）：押金≤6倍月服务费，且不超过国家上限；"
                           "预收按国家上限"),
        "beijing": terms(min(4, ceiling.deposit_bed_fee_multiple), "monthly_service_fee",
                         min(3, ceiling.prepaid_months),
                         "北京（2026-03报道）：押金≤4倍月服务费，预收≤3个月"),
    }
    return {j: PolicyVersion(j, 0, DEFAULTS_FROM, t) for j, t in table.items()}


@dataclass(frozen=True)
class Policy:
    """The published versions of one jurisdiction (stream policy-<jurisdiction>)."""

    jurisdiction: str = ""
    versions: tuple[PolicyVersion, ...] = ()


def initial() -> Policy:
    return Policy()


def evolve(state: Policy, event: Event) -> Policy:
    """Apply one stored event; other types leave the state as it is."""
    if not isinstance(event, events.EscrowPolicyPublished):
        return state
    v = PolicyVersion(event.jurisdiction, event.version, event.effective_from, event.terms)
    return Policy(v.jurisdiction, (*state.versions, v))


@dataclass(frozen=True)
class PublishPolicy:
    """Publish a new version; it applies to contracts starting on or after effective_from."""

    jurisdiction: str
    effective_from: date
    terms: Terms
    today: date
    ceiling: Ceiling = NATIONAL_CEILING


def decide_publish(state: Policy, cmd: PublishPolicy) -> list[events.EscrowPolicyPublished]:
    """Identical retry: nothing. Versions only move forward and are never retroactive."""
    check_terms(cmd.terms, cmd.ceiling)
    if not JURISDICTION.match(cmd.jurisdiction):
        raise InvalidCommand({"jurisdiction": ["须为 2–40 位小写字母、数字或下划线"]})
    same_day = [v for v in state.versions if v.effective_from == cmd.effective_from]
    if same_day:
        if same_day[0].terms == cmd.terms:
            return []
        raise Conflict(f"{cmd.jurisdiction} 已有自 {cmd.effective_from} 起生效的版本；"
                       "已发布的版本不可修改")
    if cmd.effective_from < cmd.today:
        raise InvalidCommand({"effective_from": ["规则不溯及既往：生效日期不能早于今天"]})
    if state.versions and cmd.effective_from < state.versions[-1].effective_from:
        raise Conflict("生效日期须晚于最新版本的生效日期")
    return [events.EscrowPolicyPublished(
        jurisdiction=cmd.jurisdiction, version=len(state.versions) + 1,
        effective_from=cmd.effective_from, terms=cmd.terms, published_on=cmd.today)]


def all_versions(state: Policy, jurisdiction: str,
                 defaults: dict[str, PolicyVersion]) -> list[PolicyVersion]:
    """The shipped default (if any) followed by the published versions."""
    base = [defaults[jurisdiction]] if jurisdiction in defaults else []
    return base + list(state.versions)


def in_force(versions: list[PolicyVersion], on: date, jurisdiction: str) -> PolicyVersion:
    """The latest version whose effective date is on or before ``on``; NotFound if none."""
    found = [v for v in versions if v.effective_from <= on]
    if not found:
        raise NotFound(f"辖区 {jurisdiction} 在 {on} 没有生效的预收费监管规则")
    return max(found, key=lambda v: (v.effective_from, v.version))


PolicyLookup = Callable[[str, date], PolicyVersion]
