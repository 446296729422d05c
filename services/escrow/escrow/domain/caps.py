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


NATIONAL_BASIS = "国家上限（民发〔2024〕19号）"


def cap_for(contract: Contract, kind: str) -> Cap:
    """The lower of the jurisdiction's cap and the national ceiling, with the rule that binds.

    Deposit: local multiple x its base fee, but never above national multiple x bed fee;
    prepayment: local months x service fee, never above national months; membership if allowed.
    """
    t, ref, nat = contract.terms, contract.policy, contract.ceiling
    where = f"（{ref.jurisdiction} 第 {ref.version} 版，自 {ref.effective_from} 起）"
    if kind == "deposit":
        base = (contract.monthly_service_fee_fen if t.deposit_cap_base == "monthly_service_fee"
                else contract.monthly_bed_fee_fen)
        local = t.deposit_cap_multiple * base
        national = nat.deposit_bed_fee_multiple * contract.monthly_bed_fee_fen
        if national < local:
            text = f"押金不得超过月床位费的 {nat.deposit_bed_fee_multiple} 倍"
            return Cap(kind, national, "deposit_national_ceiling",
                       f"{text}，即 {yuan(national)}（{NATIONAL_BASIS}，低于本辖区上限 "
                       f"{yuan(local)}）")
        text = f"押金不得超过{BASE_LABELS[t.deposit_cap_base]}的 {t.deposit_cap_multiple} 倍"
        return Cap(kind, local, "deposit_cap", f"{text}，即 {yuan(local)}{where}")
    if kind == "prepayment":
        months = min(t.prepaid_cap_months, nat.prepaid_months)
        cap = months * contract.monthly_service_fee_fen
        text = f"预收服务费不得超过 {months} 个月的服务费"
        if nat.prepaid_months < t.prepaid_cap_months:
            return Cap(kind, cap, "prepaid_national_ceiling",
                       f"{text}，即 {yuan(cap)}（{NATIONAL_BASIS}）")
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
