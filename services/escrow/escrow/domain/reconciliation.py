"""Statement import and reconciliation: balance vs what is owed plus the risk reserve."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from escrow.domain.errors import NotFound, StatementInvalid
from escrow.domain.events import (
    BankStatementImported,
    EscrowEvent,
    EscrowShortfallDetected,
    EscrowShortfallResolved,
    StatementLine,
)
from escrow.domain.policy import Terms
from escrow.domain.state import Escrow, evolve
from escrow.domain.statements import Txn
from escrow.domain.totals import NO_TOTALS, totals, with_totals_after

AUTO_RESOLUTION = "对账确认：专户余额已覆盖应付老人款项与风险保证金"
# One BankStatementImported holds at most this many lines (about 80 bytes each): a large
# statement is stored as several events of one commit, each well below the event size limit.
LINES_PER_EVENT = 2000


@dataclass(frozen=True)
class ImportStatement:
    uscc: str
    statement_id: str
    fmt: str
    transactions: tuple[Txn, ...]
    today: date


def new_transactions(state: Escrow, txns: tuple[Txn, ...]) -> list[Txn]:
    """Lines not seen before; a known id with other content makes the whole file invalid."""
    errors: dict[str, list[str]] = {}
    fresh = []
    for t in txns:
        known = state.transactions.get(t.bank_txn_id)
        if known is None:
            fresh.append(t)
        elif known != (t.booked_on.isoformat(), t.amount_fen):
            errors[str(t.line)] = [f"银行流水号 {t.bank_txn_id} 已导入，但日期或金额不同"
                                   f"（已有 {known[0]} {known[1]} 分）"]
    if errors:
        raise StatementInvalid(errors)
    return fresh


def decide_import(state: Escrow, cmd: ImportStatement, reserve_terms: Terms) -> list[EscrowEvent]:
    """New lines only (re-importing changes nothing), stored in parts of at most
    LINES_PER_EVENT lines (one statement id), then reconcile on the new balance."""
    if state.account is None:
        raise NotFound(f"机构 {cmd.uscc} 没有监管专户")
    fresh = new_transactions(state, cmd.transactions)
    if not fresh:
        return []
    parts: list[EscrowEvent] = []
    after = state
    for start in range(0, len(fresh), LINES_PER_EVENT):
        chunk = fresh[start:start + LINES_PER_EVENT]
        balance = after.balance_fen + sum(t.amount_fen for t in chunk)
        part = with_totals_after(after, BankStatementImported(
            institution_uscc=cmd.uscc, statement_id=cmd.statement_id, format=cmd.fmt,
            transactions=tuple(StatementLine(t.bank_txn_id, t.booked_on, t.amount_fen)
                               for t in chunk),
            skipped_known=len(cmd.transactions) - len(fresh) if start == 0 else 0,
            imported_on=cmd.today, totals=replace(NO_TOTALS, balance_fen=balance)),
            reserve_terms)
        parts.append(part)
        after = evolve(after, part)
    return [*parts, *decide_reconcile(after, cmd.uscc, cmd.today, reserve_terms, "")]


def decide_reconcile(state: Escrow, uscc: str, today: date, reserve_terms: Terms,
                     note: str) -> list[EscrowEvent]:
    """Shortfall opened once; resolved (with the note) once the balance covers it again."""
    if state.account is None:
        raise NotFound(f"机构 {uscc} 没有监管专户")
    t = totals(state, reserve_terms)
    open_sf = state.open_shortfall
    if t.shortfall_fen > 0 and open_sf is None:
        return [EscrowShortfallDetected(
            institution_uscc=uscc, shortfall_id=f"SF-{state.shortfalls_count + 1}",
            jurisdiction=state.account.jurisdiction, balance_fen=t.balance_fen,
            liabilities_fen=t.liabilities_fen, reserve_fen=t.reserve_fen,
            required_fen=t.required_fen, shortfall_fen=t.shortfall_fen, detected_on=today,
            totals=t.figures())]
    if t.shortfall_fen == 0 and open_sf is not None:
        return [EscrowShortfallResolved(
            institution_uscc=uscc, shortfall_id=open_sf.shortfall_id,
            resolution=note.strip() or AUTO_RESOLUTION, resolved_on=today, totals=t.figures())]
    return []
