"""State to response dicts: account-level figures, and one contract for regulators."""

from __future__ import annotations

from typing import Any

from escrow.api.common import Deps
from escrow.app.common import Handled
from escrow.domain.caps import cap_for
from escrow.domain.model import KINDS
from escrow.domain.policy import PolicyVersion
from escrow.domain.state import Contract, Escrow
from escrow.domain.totals import totals
from shared.clock import china_today


def policy_today(d: Deps, state: Escrow) -> PolicyVersion | None:
    if state.account is None:
        return None
    return d.policies.in_force(state.account.jurisdiction, china_today(d.clock))


def totals_of(d: Deps, state: Escrow) -> dict[str, Any]:
    policy = policy_today(d, state)
    if policy is None:
        return {"balance_fen": 0, "liabilities_fen": 0, "reserve_fen": 0, "required_fen": 0,
                "shortfall_fen": 0}
    t = totals(state, policy.terms)
    return {**t.to_data(), "shortfall_fen": t.shortfall_fen}


def account_of(state: Escrow) -> dict[str, Any] | None:
    acc = state.account
    if acc is None:
        return None
    return {"status": "open" if acc.is_open else "closed", "jurisdiction": acc.jurisdiction,
            "bank": acc.bank, "account_masked": acc.account_masked,
            "custody_agreement_id": acc.custody_agreement_id, "opened_on": acc.opened_on,
            "closed_on": acc.closed_on}


def escrow_of(d: Deps, uscc: str, state: Escrow, version: int) -> dict[str, Any]:
    today = china_today(d.clock)
    overdue = [c.contract_id for c in state.contracts.values()
               if c.refund_due_by and c.refund_remaining_fen > 0 and today > c.refund_due_by]
    return {"uscc": uscc, "version": version, "account": account_of(state),
            "policy_today": policy_today(d, state), "totals": totals_of(d, state),
            "open_shortfall": state.open_shortfall, "contracts": len(state.contracts),
            "overdue_refunds": sorted(overdue)}


def contract_of(c: Contract, d: Deps) -> dict[str, Any]:
    today = china_today(d.clock)
    return {**{k: getattr(c, k) for k in (
        "contract_id", "resident_ref", "monthly_service_fee_fen", "monthly_bed_fee_fen",
        "starts_on", "ends_on", "held", "drawn_fen", "refunded_fen", "owed_fen",
        "ended_on", "refund_due_fen", "refund_due_by", "refund_remaining_fen")},
        "policy": c.policy.to_data(),
        "caps": {k: cap_for(c, k).cap_fen for k in KINDS},
        "overdue": bool(c.refund_due_by and c.refund_remaining_fen > 0
                        and today > c.refund_due_by)}


def result(d: Deps, uscc: str, handled: Handled, contract_id: str | None = None,
           **extra: Any) -> dict[str, Any]:
    """The common answer of a write: version, what was stored, the account figures."""
    contract = handled.state.contracts.get(contract_id) if contract_id else None
    return {"uscc": uscc, "version": handled.version,
            "outcome": "recorded" if handled.events else "unchanged",
            "events": [e.event_name for e in handled.events], "totals": totals_of(d, handled.state),
            "contract": contract_of(contract, d) if contract else None, **extra}
