"""Balance against what is owed plus the risk reserve (the reconciliation arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escrow.domain.policy import Terms
from escrow.domain.state import Escrow


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

    def to_data(self) -> dict[str, Any]:
        return {"balance_fen": self.balance_fen, "liabilities_fen": self.liabilities_fen,
                "reserve_fen": self.reserve_fen, "required_fen": self.required_fen}


def totals(state: Escrow, reserve_terms: Terms) -> Totals:
    """Figures for ``state``; the reserve follows the policy in force today."""
    owed = state.liabilities_fen
    return Totals(state.balance_fen, owed, reserve_terms.reserve_for(owed))
