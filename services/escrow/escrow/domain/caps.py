"""The cap rules: what a contract may hold of each kind under the policy at its start."""

from __future__ import annotations

from dataclasses import dataclass

from escrow.domain.model import KIND_LABELS, yuan
from escrow.domain.state import Contract

BASE_LABELS = {"monthly_service_fee": "月服务费", "monthly_bed_fee": "月床位费"}


@dataclass(frozen=True)
class Cap:
    """The most this contract may hold of one kind, and the rule that says so."""

    kind: str
    cap_fen: int
    code: str
    text: str


def cap_for(contract: Contract, kind: str) -> Cap:
    """Deposit: multiple x base fee; prepayment: months x service fee; membership if allowed."""
    t, ref = contract.terms, contract.policy
    where = f"（{ref['jurisdiction']} 第 {ref['version']} 版，自 {ref['effective_from']} 起）"
    if kind == "deposit":
        base = (contract.monthly_service_fee_fen if t.deposit_cap_base == "monthly_service_fee"
                else contract.monthly_bed_fee_fen)
        cap = t.deposit_cap_multiple * base
        text = f"押金不得超过{BASE_LABELS[t.deposit_cap_base]}的 {t.deposit_cap_multiple} 倍"
        return Cap(kind, cap, "deposit_cap", f"{text}，即 {yuan(cap)}{where}")
    if kind == "prepayment":
        cap = t.prepaid_cap_months * contract.monthly_service_fee_fen
        text = f"预收服务费不得超过 {t.prepaid_cap_months} 个月的服务费"
        return Cap(kind, cap, "prepaid_cap", f"{text}，即 {yuan(cap)}{where}")
    if not t.membership_allowed or t.membership_cap_multiple is None:
        return Cap(kind, 0, "membership_not_allowed", f"本辖区规则不允许收取会员费{where}")
    cap = t.membership_cap_multiple * contract.monthly_service_fee_fen
    text = f"会员费不得超过月服务费的 {t.membership_cap_multiple} 倍"
    return Cap(kind, cap, "membership_cap", f"{text}，即 {yuan(cap)}{where}")


def held_against_cap(contract: Contract, kind: str) -> int:
    """What already counts against the cap: unused prepayment, or all of the kind taken."""
    if kind == "prepayment":
        return contract.prepaid_left_fen
    return contract.held.get(kind, 0)


def label(kind: str) -> str:
    return KIND_LABELS[kind]
