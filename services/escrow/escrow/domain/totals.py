"""Balance against what is owed plus the risk reserve (the reconciliation arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

from escrow.domain.events import (
    AccountTotals,
    BankStatementImported,
    DepositAccepted,
    PrepaymentDrawn,
    RefundIssued,
)
from escrow.domain.policy import Terms
from escrow.domain.state import Escrow, evolve


@dataclass(frozen=True)
class Totals:
    """Account-level figures only: never an individual resident's amount."""

    balance_fen: int
    liabilities_fen: int
    reserve_fen: int

    @property
    def required_fen(self) -> int:
        return self.liabilities_fen + self.reserve_fen

    @property
    def shortfall_fen(self) -> int:
        return max(0, self.required_fen - self.balance_fen)

    def figures(self) -> AccountTotals:
        """The four figures events carry."""
        return AccountTotals(self.balance_fen, self.liabilities_fen, self.reserve_fen,
                             self.required_fen)

    def to_data(self) -> dict[str, Any]:
        return {"balance_fen": self.balance_fen, "liabilities_fen": self.liabilities_fen,
                "reserve_fen": self.reserve_fen, "required_fen": self.required_fen}


def totals(state: Escrow, reserve_terms: Terms) -> Totals:
    """Figures for ``state``; the reserve follows the policy in force today."""
    owed = state.liabilities_fen
    return Totals(state.balance_fen, owed, reserve_terms.reserve_for(owed))


NO_TOTALS = AccountTotals(0, 0, 0, 0)  # a placeholder until with_totals_after fills them in
WithTotals = TypeVar("WithTotals", DepositAccepted, PrepaymentDrawn, RefundIssued,
                     BankStatementImported)


def with_totals_after(state: Escrow, event: WithTotals, reserve_terms: Terms) -> WithTotals:
    """``event`` carrying the account's totals as they stand once it is folded into ``state``."""
    after = evolve(state, event)
    return replace(event, totals=totals(after, reserve_terms).figures())
