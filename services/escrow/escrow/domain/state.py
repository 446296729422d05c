"""The institution's escrow aggregate (stream escrow-<USCC>) and how each event changes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from escrow.domain.policy import NATIONAL_CEILING, Ceiling, Terms


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
    accepted: bool
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Contract:
    """A resident's contract, by pseudonymous id, with the policy in force at its start."""

    contract_id: str
    resident_ref: str
    monthly_service_fee_fen: int
    monthly_bed_fee_fen: int
    starts_on: date
    ends_on: date | None
    policy: dict[str, Any]
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


def evolve(state: Escrow, name: str, data: dict[str, Any]) -> Escrow:
    """Apply one stored event; names this version does not know leave the state as it is."""
    apply = _APPLY.get(name)
    return apply(state, data) if apply else state


def _with_contract(state: Escrow, contract: Contract) -> Escrow:
    return replace(state, contracts={**state.contracts, contract.contract_id: contract})


def _opened(state: Escrow, d: dict[str, Any]) -> Escrow:
    acc = Account(d["jurisdiction"], d["bank"], d["account_masked"], d["custody_agreement_id"],
                  date.fromisoformat(d["opened_on"]))
    return replace(state, uscc=d["institution_uscc"], account=acc)


def _closed(state: Escrow, d: dict[str, Any]) -> Escrow:
    assert state.account is not None, "EscrowAccountClosed before EscrowAccountOpened"
    return replace(state, account=replace(state.account,
                                          closed_on=date.fromisoformat(d["closed_on"])))


def _registered(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = Contract(d["contract_id"], d["resident_ref"], d["monthly_service_fee_fen"],
                 d["monthly_bed_fee_fen"], date.fromisoformat(d["starts_on"]),
                 date.fromisoformat(d["ends_on"]) if d["ends_on"] else None, d["policy"],
                 Terms.from_data(d["terms"]), ceiling=Ceiling.from_data(d.get("ceiling")))
    return _with_contract(state, c)


def _accepted(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    kind, amount = d["kind"], d["amount_fen"]
    decl = Declaration(kind, amount, True, {"cap_fen": d["cap_fen"]})
    return _with_contract(state, replace(
        c, held={**c.held, kind: c.held.get(kind, 0) + amount},
        declarations={**c.declarations, d["receipt_no"]: decl}))


def _rejected(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    facts = {k: d[k] for k in ("cap_fen", "held_before_fen", "excess_fen", "rule", "policy")}
    decl = Declaration(d["kind"], d["amount_fen"], False, facts)
    return _with_contract(state, replace(c, declarations={**c.declarations,
                                                          d["receipt_no"]: decl}))


def _drawn(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    return _with_contract(state, replace(c, drawn_fen=c.drawn_fen + d["amount_fen"],
                                         draws={**c.draws, d["period"]: d["amount_fen"]}))


def _ended(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    return _with_contract(state, replace(
        c, ended_on=date.fromisoformat(d["ended_on"]), refund_due_fen=d["refund_due_fen"],
        refund_due_by=date.fromisoformat(d["refund_due_by"])))


def _refunded(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    return _with_contract(state, replace(c, refunds={**c.refunds,
                                                     d["reference"]: d["amount_fen"]}))


def _overdue(state: Escrow, d: dict[str, Any]) -> Escrow:
    c = state.contracts[d["contract_id"]]
    return _with_contract(state, replace(c, overdue_flagged=True))


def _imported(state: Escrow, d: dict[str, Any]) -> Escrow:
    txns = dict(state.transactions)
    for t in d["transactions"]:
        txns[t["bank_txn_id"]] = (t["booked_on"], t["amount_fen"])
    return replace(state, transactions=txns, balance_fen=d["totals"]["balance_fen"])


def _shortfall(state: Escrow, d: dict[str, Any]) -> Escrow:
    sf = Shortfall(d["shortfall_id"], date.fromisoformat(d["detected_on"]), d["shortfall_fen"])
    return replace(state, open_shortfall=sf, shortfalls_count=state.shortfalls_count + 1)


def _resolved(state: Escrow, d: dict[str, Any]) -> Escrow:
    return replace(state, open_shortfall=None)


_APPLY: dict[str, Callable[[Escrow, dict[str, Any]], Escrow]] = {
    "EscrowAccountOpened": _opened,
    "EscrowAccountClosed": _closed,
    "ResidentContractRegistered": _registered,
    "DepositAccepted": _accepted,
    "DepositRejected": _rejected,
    "PrepaymentDrawn": _drawn,
    "ContractEnded": _ended,
    "RefundIssued": _refunded,
    "RefundOverdue": _overdue,
    "BankStatementImported": _imported,
    "EscrowShortfallDetected": _shortfall,
    "EscrowShortfallResolved": _resolved,
}
