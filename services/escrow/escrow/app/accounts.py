"""Use cases: civil affairs opens and closes an institution's supervised custody account."""

from __future__ import annotations

from escrow.app.common import Handled, Policies, run
from escrow.domain.account import OpenAccount, decide_close, decide_open
from escrow.domain.errors import InvalidCommand, NotFound
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def open_account(uscc: str, jurisdiction: str, bank: str, account_number: str,
                 custody_agreement_id: str, *, store: EventStore, clock: Clock,
                 policies: Policies, meta: CommitMeta) -> Handled:
    """Open (or re-open after closing); the full account number is masked before storing."""
    today = china_today(clock)
    try:
        policy = policies.in_force(jurisdiction, today)
    except NotFound as exc:
        raise InvalidCommand({"jurisdiction": [exc.detail]}) from exc
    cmd = OpenAccount(uscc, jurisdiction, bank, account_number, custody_agreement_id, today)
    return run(store, uscc, lambda s: decide_open(s, cmd, policy), meta)


def close_account(uscc: str, reason: str, *, store: EventStore, clock: Clock,
                  meta: CommitMeta) -> Handled:
    """Close once nothing is owed to residents."""
    today = china_today(clock)
    return run(store, uscc, lambda s: decide_close(s, uscc, reason, today), meta)
