"""The institution's escrow aggregate (stream escrow-<USCC>) and how each event changes it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from escrow.domain.events import (
    BankStatementImported,
    ContractEnded,
    DepositAccepted,
    DepositRejected,
    EscrowAccountClosed,
    EscrowAccountOpened,
    EscrowShortfallDetected,
    EscrowShortfallResolved,
    PolicyRef,
    PrepaymentDrawn,
    RefundIssued,
    RefundOverdue,
    ResidentContractRegistered,
)
from escrow.domain.policy import NATIONAL_CEILING, Ceiling, Terms
from shared.domain import Event


@dataclass(frozen=True)
class Account:
    """The supervised custody account; only the masked number is ever kept."""

    jurisdiction: str
    bank: str
    account_masked: str
    custody_agreement_id: str
    opened_on: date
    closed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True)
class Declaration:
    """One declared receipt and what was decided about it (kept so retries answer the same)."""

    kind: str
    amount_fen: int
    cap_fen: int
    rejection: DepositRejected | None = None  # the refusal, when the cap was exceeded

    @property
    def accepted(self) -> bool:
        return self.rejection is None

    def facts(self) -> dict[str, Any]:
        """What the decision rested on, as the problem document reports it."""
        r = self.rejection
        if r is None:
            return {"cap_fen": self.cap_fen}
        return {"cap_fen": r.cap_fen, "held_before_fen": r.held_before_fen,
                "excess_fen": r.excess_fen, "rule": r.rule.to_data(),
                "policy": r.policy.to_data()}


@dataclass(frozen=True)
class Contract:
    """A resident's contract, by pseudonymous id, with the policy in force at its start."""

    contract_id: str
    resident_ref: str
    monthly_service_fee_fen: int
    monthly_bed_fee_fen: int
    starts_on: date
    ends_on: date | None
    policy: PolicyRef
    terms: Terms
    held: dict[str, int] = field(default_factory=dict)
    drawn_fen: int = 0
    declarations: dict[str, Declaration] = field(default_factory=dict)
    draws: dict[str, int] = field(default_factory=dict)
    refunds: dict[str, int] = field(default_factory=dict)
    ended_on: date | None = None
    refund_due_fen: int = 0
    refund_due_by: date | None = None
    overdue_flagged: bool = False
    ceiling: Ceiling = NATIONAL_CEILING  # the national ceiling in force at registration

    @property
    def refunded_fen(self) -> int:
        return sum(self.refunds.values())

    @property
    def prepaid_left_fen(self) -> int:
        return self.held.get("prepayment", 0) - self.drawn_fen

    @property
    def owed_fen(self) -> int:
        """What the institution owes this resident now (deposit, membership, unused prepaid)."""
        return sum(self.held.values()) - self.drawn_fen - self.refunded_fen

    @property
    def refund_remaining_fen(self) -> int:
        return self.refund_due_fen - self.refunded_fen if self.ended_on else 0


@dataclass(frozen=True)
class Shortfall:
    shortfall_id: str
    detected_on: date
    shortfall_fen: int


@dataclass(frozen=True)
class Escrow:
    """Everything the escrow service knows about one institution."""

    uscc: str = ""
    account: Account | None = None
    contracts: dict[str, Contract] = field(default_factory=dict)
    transactions: dict[str, tuple[str, int]] = field(default_factory=dict)
    balance_fen: int = 0
    open_shortfall: Shortfall | None = None
    shortfalls_count: int = 0

    @property
    def liabilities_fen(self) -> int:
        return sum(c.owed_fen for c in self.contracts.values())


def initial() -> Escrow:
    return Escrow()


def evolve(state: Escrow, event: Event) -> Escrow:
    """Apply one stored event; types this aggregate does not fold leave the state as it is."""
    match event:
        case EscrowAccountOpened():
            acc = Account(event.jurisdiction, event.bank, event.account_masked,
                          event.custody_agreement_id, event.opened_on)
            return replace(state, uscc=event.institution_uscc, account=acc)
        case EscrowAccountClosed():
            assert state.account is not None, "EscrowAccountClosed before EscrowAccountOpened"
            return replace(state, account=replace(state.account, closed_on=event.closed_on))
        case ResidentContractRegistered():
            return _with_contract(state, Contract(
                event.contract_id, event.resident_ref, event.monthly_service_fee_fen,
                event.monthly_bed_fee_fen, event.starts_on, event.ends_on, event.policy,
                event.terms, ceiling=event.ceiling or NATIONAL_CEILING))
        case DepositAccepted():
            c = state.contracts[event.contract_id]
            kind, amount = event.kind, event.amount_fen
            decl = Declaration(kind, amount, event.cap_fen)
            return _with_contract(state, replace(
                c, held={**c.held, kind: c.held.get(kind, 0) + amount},
                declarations={**c.declarations, event.receipt_no: decl}))
        case DepositRejected():
            c = state.contracts[event.contract_id]
            decl = Declaration(event.kind, event.amount_fen, event.cap_fen, event)
            return _with_contract(state, replace(
                c, declarations={**c.declarations, event.receipt_no: decl}))
        case PrepaymentDrawn():
            c = state.contracts[event.contract_id]
            return _with_contract(state, replace(
                c, drawn_fen=c.drawn_fen + event.amount_fen,
                draws={**c.draws, event.period: event.amount_fen}))
        case ContractEnded():
            c = state.contracts[event.contract_id]
            return _with_contract(state, replace(
                c, ended_on=event.ended_on, refund_due_fen=event.refund_due_fen,
                refund_due_by=event.refund_due_by))
        case RefundIssued():
            c = state.contracts[event.contract_id]
            return _with_contract(state, replace(
                c, refunds={**c.refunds, event.reference: event.amount_fen}))
        case RefundOverdue():
            c = state.contracts[event.contract_id]
            return _with_contract(state, replace(c, overdue_flagged=True))
        case BankStatementImported():
            txns = dict(state.transactions)
            for t in event.transactions:
                txns[t.bank_txn_id] = (t.booked_on.isoformat(), t.amount_fen)
            return replace(state, transactions=txns, balance_fen=event.totals.balance_fen)
        case EscrowShortfallDetected():
            sf = Shortfall(event.shortfall_id, event.detected_on, event.shortfall_fen)
            return replace(state, open_shortfall=sf, shortfalls_count=state.shortfalls_count + 1)
        case EscrowShortfallResolved():
            return replace(state, open_shortfall=None)
    return state


def _with_contract(state: Escrow, contract: Contract) -> Escrow:
    return replace(state, contracts={**state.contracts, contract.contract_id: contract})
