"""The escrow service's events, one frozen dataclass per type (contracts/events/escrow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from escrow.domain import (
    policy as policy_module,  # a module import: policy.py decides EscrowPolicyPublished
)
from shared.domain import Event, EventCatalog, Record


@dataclass(frozen=True)
class PolicyRef(Record):
    """Which policy version a contract or an account follows."""

    jurisdiction: str
    version: int
    effective_from: date


@dataclass(frozen=True)
class AccountTotals(Record):
    """Account-level figures after an event (never one resident's amount)."""

    balance_fen: int
    liabilities_fen: int
    reserve_fen: int
    required_fen: int


@dataclass(frozen=True)
class CapRule(Record):
    """The cap a rejected declaration broke: its code and the rule in words."""

    code: str
    text: str


@dataclass(frozen=True)
class StatementLine(Record):
    """One imported bank transaction (credits positive, debits negative)."""

    bank_txn_id: str
    booked_on: date
    amount_fen: int


@dataclass(frozen=True)
class EscrowAccountOpened(Event):
    institution_uscc: str
    jurisdiction: str
    bank: str
    account_masked: str
    account_last4: str
    custody_agreement_id: str
    opened_on: date
    policy: PolicyRef
    terms: policy_module.Terms


@dataclass(frozen=True)
class EscrowAccountClosed(Event):
    institution_uscc: str
    reason: str
    closed_on: date


@dataclass(frozen=True)
class EscrowPolicyPublished(Event):
    jurisdiction: str
    version: int
    effective_from: date
    terms: policy_module.Terms
    published_on: date


@dataclass(frozen=True)
class ResidentContractRegistered(Event):
    """``ceiling`` is absent from contracts registered before it was recorded."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"ceiling"})

    institution_uscc: str
    contract_id: str
    resident_ref: str
    monthly_service_fee_fen: int
    monthly_bed_fee_fen: int
    starts_on: date
    ends_on: date | None
    policy: PolicyRef
    terms: policy_module.Terms
    registered_on: date
    ceiling: policy_module.Ceiling | None = None


@dataclass(frozen=True)
class Declared(Record):
    """Money an institution declared taking for a contract, against the cap then in force."""

    institution_uscc: str
    contract_id: str
    resident_ref: str
    kind: str
    receipt_no: str
    amount_fen: int
    cap_fen: int
    policy: PolicyRef
    declared_on: date


@dataclass(frozen=True)
class DepositAccepted(Declared, Event):
    held_after_fen: int
    totals: AccountTotals


@dataclass(frozen=True)
class DepositRejected(Declared, Event):
    held_before_fen: int
    excess_fen: int
    rule: CapRule


@dataclass(frozen=True)
class PrepaymentDrawn(Event):
    institution_uscc: str
    contract_id: str
    period: str
    amount_fen: int
    prepaid_left_fen: int
    drawn_on: date
    totals: AccountTotals


@dataclass(frozen=True)
class ContractEnded(Event):
    institution_uscc: str
    contract_id: str
    resident_ref: str
    ended_on: date
    refund_due_fen: int
    refund_due_by: date
    refund_deadline_days: int


@dataclass(frozen=True)
class RefundIssued(Event):
    institution_uscc: str
    contract_id: str
    resident_ref: str
    reference: str
    amount_fen: int
    remaining_fen: int
    paid_on: date
    refund_due_by: date
    late: bool
    totals: AccountTotals


@dataclass(frozen=True)
class RefundOverdue(Event):
    institution_uscc: str
    contract_id: str
    resident_ref: str
    amount_due_fen: int
    refund_due_by: date
    detected_on: date
    days_overdue: int


@dataclass(frozen=True)
class BankStatementImported(Event):
    institution_uscc: str
    statement_id: str
    format: str
    transactions: tuple[StatementLine, ...]
    skipped_known: int
    imported_on: date
    totals: AccountTotals


@dataclass(frozen=True)
class EscrowShortfallDetected(Event):
    institution_uscc: str
    shortfall_id: str
    jurisdiction: str
    balance_fen: int
    liabilities_fen: int
    reserve_fen: int
    required_fen: int
    shortfall_fen: int
    detected_on: date
    totals: AccountTotals


@dataclass(frozen=True)
class EscrowShortfallResolved(Event):
    institution_uscc: str
    shortfall_id: str
    resolution: str
    resolved_on: date
    totals: AccountTotals


EscrowEvent = (EscrowAccountOpened | EscrowAccountClosed | ResidentContractRegistered
               | DepositAccepted | DepositRejected | PrepaymentDrawn | ContractEnded
               | RefundIssued | RefundOverdue | BankStatementImported | EscrowShortfallDetected
               | EscrowShortfallResolved)

ESCROW_EVENTS = EventCatalog(
    EscrowAccountOpened, EscrowAccountClosed, ResidentContractRegistered, DepositAccepted,
    DepositRejected, PrepaymentDrawn, ContractEnded, RefundIssued, RefundOverdue,
    BankStatementImported, EscrowShortfallDetected, EscrowShortfallResolved)
POLICY_EVENTS = EventCatalog(EscrowPolicyPublished)
EVENTS = EventCatalog(*ESCROW_EVENTS, *POLICY_EVENTS)
