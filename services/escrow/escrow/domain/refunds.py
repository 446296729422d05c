"""Contract end, refunds of deposit and unused prepayment, and the overdue check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from escrow.domain.contracts import contract_or_fail, live_contract_or_fail
from escrow.domain.errors import Conflict, InvalidCommand
from escrow.domain.events import ContractEnded, EscrowEvent, RefundIssued, RefundOverdue
from escrow.domain.policy import Terms
from escrow.domain.state import Escrow
from escrow.domain.totals import NO_TOTALS, with_totals_after


@dataclass(frozen=True)
class EndContract:
    uscc: str
    contract_id: str
    ended_on: date
    today: date


def decide_end(state: Escrow, cmd: EndContract) -> list[EscrowEvent]:
    """Everything still held becomes due within the deadline of the contract's own policy."""
    existing = contract_or_fail(state, cmd.contract_id)
    if existing.ended_on is not None:
        if existing.ended_on == cmd.ended_on:
            return []
        raise Conflict(f"合同 {cmd.contract_id} 已于 {existing.ended_on} 终止")
    c = live_contract_or_fail(state, cmd.contract_id)
    if not c.starts_on <= cmd.ended_on <= cmd.today:
        raise InvalidCommand({"ended_on": ["须在合同开始日期与今天之间"]})
    days = c.terms.refund_deadline_days
    return [ContractEnded(
        institution_uscc=cmd.uscc, contract_id=c.contract_id, resident_ref=c.resident_ref,
        ended_on=cmd.ended_on, refund_due_fen=c.owed_fen,
        refund_due_by=cmd.ended_on + timedelta(days=days), refund_deadline_days=days)]


@dataclass(frozen=True)
class IssueRefund:
    """A refund paid to the resident; ``reference`` (e.g. the bank transfer id) makes it once."""

    uscc: str
    contract_id: str
    reference: str
    amount_fen: int
    paid_on: date
    today: date


def decide_refund(state: Escrow, cmd: IssueRefund, reserve_terms: Terms) -> list[EscrowEvent]:
    """Partial refunds add up; never more than is still due; late when after the deadline."""
    c = contract_or_fail(state, cmd.contract_id)
    if c.ended_on is None or c.refund_due_by is None:
        raise Conflict(f"合同 {cmd.contract_id} 尚未终止，不能退款")
    if cmd.reference in c.refunds:
        if c.refunds[cmd.reference] == cmd.amount_fen:
            return []
        raise Conflict(f"退款凭证 {cmd.reference} 已以不同金额登记")
    errors = _refund_errors(cmd, c.refund_remaining_fen, c.ended_on)
    if errors:
        raise InvalidCommand(errors)
    refund = RefundIssued(
        institution_uscc=cmd.uscc, contract_id=c.contract_id, resident_ref=c.resident_ref,
        reference=cmd.reference, amount_fen=cmd.amount_fen,
        remaining_fen=c.refund_remaining_fen - cmd.amount_fen, paid_on=cmd.paid_on,
        refund_due_by=c.refund_due_by, late=cmd.paid_on > c.refund_due_by, totals=NO_TOTALS)
    return [with_totals_after(state, refund, reserve_terms)]


def _refund_errors(cmd: IssueRefund, remaining: int, ended_on: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not cmd.reference.strip():
        errors["reference"] = ["不能为空"]
    if not 0 < cmd.amount_fen <= remaining:
        errors["amount_fen"] = [f"须为正整数且不超过待退金额 {remaining} 分"]
    if not ended_on <= cmd.paid_on <= cmd.today:
        errors["paid_on"] = ["须在合同终止日与今天之间"]
    return errors


def decide_overdue(state: Escrow, today: date) -> list[EscrowEvent]:
    """RefundOverdue once per contract whose deadline has passed with money still due."""
    events: list[EscrowEvent] = []
    for c in sorted(state.contracts.values(), key=lambda c: c.contract_id):
        due_by = c.refund_due_by
        if due_by is None or c.overdue_flagged or c.refund_remaining_fen <= 0 or today <= due_by:
            continue
        events.append(RefundOverdue(
            institution_uscc=state.uscc, contract_id=c.contract_id,
            resident_ref=c.resident_ref, amount_due_fen=c.refund_remaining_fen,
            refund_due_by=due_by, detected_on=today, days_overdue=(today - due_by).days))
    return events
