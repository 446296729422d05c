"""Use cases: import a custody bank statement, reconcile on demand."""

from __future__ import annotations

from escrow.app.common import STATEMENT_DEPARTMENTS, Handled, Policies, run
from escrow.domain.errors import StatementInvalid
from escrow.domain.reconciliation import ImportStatement, decide_import, decide_reconcile
from escrow.domain.statements import parse, statement_id
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def import_statement(uscc: str, content: bytes, fmt: str, *, store: EventStore, clock: Clock,
                     policies: Policies, meta: CommitMeta) -> Handled:
    """Parse every line first (StatementInvalid: nothing applied), then store only new lines."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise StatementInvalid({"file": ["须为 UTF-8 编码"]}) from None
    txns = tuple(parse(text, fmt))
    today = china_today(clock)
    cmd = ImportStatement(uscc, statement_id(content), fmt, txns, today)
    return run(store, uscc, lambda s: decide_import(
        s, cmd, policies.reserve_terms(s, uscc, today)), meta, STATEMENT_DEPARTMENTS)


def reconcile(uscc: str, note: str, *, store: EventStore, clock: Clock, policies: Policies,
              meta: CommitMeta) -> Handled:
    """Compare the balance with liabilities plus reserve now; records detection or resolution."""
    today = china_today(clock)
    return run(store, uscc, lambda s: decide_reconcile(
        s, uscc, today, policies.reserve_terms(s, uscc, today), note), meta,
        STATEMENT_DEPARTMENTS)
