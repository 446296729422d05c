"""Residents' contracts, declared deposits/prepayments against the cap, monthly draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from escrow.domain.account import open_account_or_fail
from escrow.domain.caps import cap_for, held_against_cap, label
from escrow.domain.errors import Conflict, InvalidCommand, NotFound
from escrow.domain.events import (
    CapRule,
    DepositAccepted,
    DepositRejected,
    EscrowEvent,
    PrepaymentDrawn,
    ResidentContractRegistered,
)
from escrow.domain.model import CONTRACT_ID, KINDS, resident_ref_errors, yuan
from escrow.domain.policy import NATIONAL_CEILING, Ceiling, PolicyVersion, Terms
from escrow.domain.state import Contract, Escrow
from escrow.domain.totals import NO_TOTALS, with_totals_after


@dataclass(frozen=True)
class RegisterContract:
    uscc: str
    contract_id: str
    resident_ref: str
    monthly_service_fee_fen: int
    monthly_bed_fee_fen: int
    starts_on: date
    ends_on: date | None
    today: date


def _contract_errors(cmd: RegisterContract) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not CONTRACT_ID.match(cmd.contract_id):
        errors["contract_id"] = ["须为 1–40 位字母、数字、-或_"]
    if ref_errors := resident_ref_errors(cmd.resident_ref):
        errors["resident_ref"] = ref_errors
    if cmd.monthly_service_fee_fen <= 0:
        errors["monthly_service_fee_fen"] = ["须为正整数（分）"]
    if cmd.monthly_bed_fee_fen < 0:
        errors["monthly_bed_fee_fen"] = ["不能为负数"]
    elif cmd.monthly_bed_fee_fen > cmd.monthly_service_fee_fen:
        errors["monthly_bed_fee_fen"] = ["床位费是服务费的一部分，不能超过月服务费"]
    if cmd.ends_on is not None and cmd.ends_on < cmd.starts_on:
        errors["ends_on"] = ["不能早于开始日期"]
    return errors


def decide_register(state: Escrow, cmd: RegisterContract, policy: PolicyVersion,
                    ceiling: Ceiling = NATIONAL_CEILING) -> list[EscrowEvent]:
    """Record the policy in force at the contract's start and the national ceiling: later
    versions never touch it; the effective caps are the lower of the two (``caps.cap_for``)."""
    if errors := _contract_errors(cmd):
        raise InvalidCommand(errors)
    open_account_or_fail(state, cmd.uscc)
    existing = state.contracts.get(cmd.contract_id)
    if existing is not None:
        if _same_contract(existing, cmd):
            return []
        raise Conflict(f"合同 {cmd.contract_id} 已以不同内容登记")
    return [ResidentContractRegistered(
        institution_uscc=cmd.uscc, contract_id=cmd.contract_id, resident_ref=cmd.resident_ref,
        monthly_service_fee_fen=cmd.monthly_service_fee_fen,
        monthly_bed_fee_fen=cmd.monthly_bed_fee_fen, starts_on=cmd.starts_on,
        ends_on=cmd.ends_on, policy=policy.ref(), terms=policy.terms, ceiling=ceiling,
        registered_on=cmd.today)]


def _same_contract(c: Contract, cmd: RegisterContract) -> bool:
    return (c.resident_ref, c.monthly_service_fee_fen, c.monthly_bed_fee_fen, c.starts_on,
            c.ends_on) == (cmd.resident_ref, cmd.monthly_service_fee_fen,
                           cmd.monthly_bed_fee_fen, cmd.starts_on, cmd.ends_on)


def contract_or_fail(state: Escrow, contract_id: str) -> Contract:
    found = state.contracts.get(contract_id)
    if found is None:
        raise NotFound(f"没有编号为 {contract_id} 的合同")
    return found


def live_contract_or_fail(state: Escrow, contract_id: str) -> Contract:
    c = contract_or_fail(state, contract_id)
    if c.ended_on is not None:
        raise Conflict(f"合同 {contract_id} 已于 {c.ended_on} 终止")
    return c


@dataclass(frozen=True)
class DeclareDeposit:
    """The institution declares money taken: deposit, prepayment or membership fee."""

    uscc: str
    contract_id: str
    kind: str
    receipt_no: str
    amount_fen: int
    today: date


def decide_declare(state: Escrow, cmd: DeclareDeposit,
                   reserve_terms: Terms) -> list[EscrowEvent]:
    """Within the cap: DepositAccepted. Above: DepositRejected (the rejection is a fact too)."""
    if cmd.kind not in KINDS or cmd.amount_fen <= 0 or not cmd.receipt_no.strip():
        raise InvalidCommand(_declare_errors(cmd))
    open_account_or_fail(state, cmd.uscc)
    c = live_contract_or_fail(state, cmd.contract_id)
    known = c.declarations.get(cmd.receipt_no)
    if known is not None:
        if (known.kind, known.amount_fen) == (cmd.kind, cmd.amount_fen):
            return []  # a retry: the first decision stands (the app answers it again)
        raise Conflict(f"收据 {cmd.receipt_no} 已以不同金额或类型申报")
    cap, held = cap_for(c, cmd.kind), held_against_cap(c, cmd.kind)
    if held + cmd.amount_fen > cap.cap_fen:
        return [DepositRejected(
            institution_uscc=cmd.uscc, contract_id=c.contract_id, resident_ref=c.resident_ref,
            kind=cmd.kind, receipt_no=cmd.receipt_no, amount_fen=cmd.amount_fen,
            cap_fen=cap.cap_fen, policy=c.policy, declared_on=cmd.today, held_before_fen=held,
            excess_fen=held + cmd.amount_fen - cap.cap_fen, rule=CapRule(cap.code, cap.text))]
    return [with_totals_after(state, DepositAccepted(
        institution_uscc=cmd.uscc, contract_id=c.contract_id, resident_ref=c.resident_ref,
        kind=cmd.kind, receipt_no=cmd.receipt_no, amount_fen=cmd.amount_fen,
        cap_fen=cap.cap_fen, policy=c.policy, declared_on=cmd.today,
        held_after_fen=held + cmd.amount_fen, totals=NO_TOTALS), reserve_terms)]


def _declare_errors(cmd: DeclareDeposit) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if cmd.kind not in KINDS:
        errors["kind"] = [f"须为 {' / '.join(KINDS)}"]
    if cmd.amount_fen <= 0:
        errors["amount_fen"] = ["须为正整数（分）"]
    if not cmd.receipt_no.strip():
        errors["receipt_no"] = ["不能为空"]
    return errors


def rejection_detail(kind: str, amount_fen: int, facts: dict[str, Any]) -> str:
    """The refusal in words: amount, what is already held, the cap and the rule."""
    return (f"{label(kind)} {yuan(amount_fen)}（{amount_fen} 分）超过上限："
            f"已收 {facts['held_before_fen']} 分，上限 {facts['cap_fen']} 分，"
            f"超出 {facts['excess_fen']} 分。规则：{facts['rule']['text']}")


@dataclass(frozen=True)
class DrawPrepayment:
    """A month's fee taken out of the prepayment for services delivered."""

    uscc: str
    contract_id: str
    period: str
    amount_fen: int
    today: date


def decide_draw(state: Escrow, cmd: DrawPrepayment, reserve_terms: Terms) -> list[EscrowEvent]:
    """At most one draw per month, at most the monthly fee and what is left prepaid."""
    c = live_contract_or_fail(state, cmd.contract_id)
    if cmd.period in c.draws:
        if c.draws[cmd.period] == cmd.amount_fen:
            return []
        raise Conflict(f"{cmd.period} 已扣费 {c.draws[cmd.period]} 分")
    if not 0 < cmd.amount_fen <= min(c.monthly_service_fee_fen, c.prepaid_left_fen):
        raise InvalidCommand({"amount_fen": [
            f"须为正整数且不超过月服务费 {c.monthly_service_fee_fen} 分"
            f"和剩余预收费 {c.prepaid_left_fen} 分"]})
    return [with_totals_after(state, PrepaymentDrawn(
        institution_uscc=cmd.uscc, contract_id=c.contract_id, period=cmd.period,
        amount_fen=cmd.amount_fen, prepaid_left_fen=c.prepaid_left_fen - cmd.amount_fen,
        drawn_on=cmd.today, totals=NO_TOTALS), reserve_terms)]
