"""Use cases: register a resident's contract, declare deposits/prepayments, draw a month."""

from __future__ import annotations

from escrow.app.common import Handled, Policies, run
from escrow.domain.account import open_account_or_fail
from escrow.domain.contracts import (
    DeclareDeposit,
    DrawPrepayment,
    RegisterContract,
    decide_declare,
    decide_draw,
    decide_register,
    rejection_detail,
)
from escrow.domain.errors import CapExceeded
from escrow.domain.events import EscrowEvent
from escrow.domain.state import Escrow
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def register_contract(cmd: RegisterContract, *, store: EventStore, policies: Policies,
                      meta: CommitMeta) -> Handled:
    """The policy recorded is the one in force in the account's jurisdiction at the start."""

    def decide(state: Escrow) -> list[EscrowEvent]:
        open_account_or_fail(state, cmd.uscc)
        assert state.account is not None
        policy = policies.in_force(state.account.jurisdiction, cmd.starts_on)
        return decide_register(state, cmd, policy, policies.ceiling)

    return run(store, cmd.uscc, decide, meta)


def declare_deposit(uscc: str, contract_id: str, kind: str, receipt_no: str, amount_fen: int,
                    *, store: EventStore, clock: Clock, policies: Policies,
                    meta: CommitMeta) -> Handled:
    """Accepted within the cap; otherwise the rejection is stored, then CapExceeded is raised."""
    today = china_today(clock)
    cmd = DeclareDeposit(uscc, contract_id, kind, receipt_no.strip(), amount_fen, today)
    handled = run(store, uscc, lambda s: decide_declare(
        s, cmd, policies.reserve_terms(s, uscc, today)), meta)
    decl = handled.state.contracts[contract_id].declarations[cmd.receipt_no]
    if not decl.accepted:
        raise CapExceeded(rejection_detail(kind, amount_fen, decl.facts()), {
            "kind": kind, "amount_fen": amount_fen, "receipt_no": cmd.receipt_no,
            **decl.facts(), "rejection_recorded": True})
    return handled


def draw_prepayment(uscc: str, contract_id: str, period: str, amount_fen: int, *,
                    store: EventStore, clock: Clock, policies: Policies,
                    meta: CommitMeta) -> Handled:
    """One month's fee out of the prepayment."""
    today = china_today(clock)
    cmd = DrawPrepayment(uscc, contract_id, period, amount_fen, today)
    return run(store, uscc, lambda s: decide_draw(
        s, cmd, policies.reserve_terms(s, uscc, today)), meta)
