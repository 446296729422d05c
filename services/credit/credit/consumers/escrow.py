"""Escrow events → credit: shortfalls, rejected deposits and overdue refunds."""

from __future__ import annotations

from credit.consumers.base import Effect, record
from shared.envelope import Envelope

SOURCE = "escrow"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def map_event(env: Envelope) -> list[Effect]:
    """One record per shortfall, rejected deposit or overdue refund (no resident data)."""
    d = env.data
    if env.name == "EscrowShortfallDetected":
        return [record(env, d["institution_uscc"], "escrow_shortfall",
                       f"预收费专户资金缺口 {_yuan(d['shortfall_fen'])}", "detected_on")]
    if env.name == "DepositRejected":
        return [record(env, d["institution_uscc"], "deposit_rejected",
                       f"收取押金/预收费超过上限 {_yuan(d['excess_fen'])}", "declared_on")]
    if env.name == "RefundOverdue":
        return [record(env, d["institution_uscc"], "refund_overdue",
                       f"退款逾期 {d['days_overdue']} 天未退清", "detected_on")]
    return []
