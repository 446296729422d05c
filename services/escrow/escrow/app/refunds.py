"""Use cases: end a contract, record a refund, and the scheduled overdue-refund check."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from escrow.app.common import Handled, Policies, run, uscc_of
from escrow.domain.refunds import (
    EndContract,
    IssueRefund,
    decide_end,
    decide_overdue,
    decide_refund,
)
from shared.authority import LEADER, Scope
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore

log = logging.getLogger(__name__)


def end_contract(uscc: str, contract_id: str, ended_on: date, *, store: EventStore,
                 clock: Clock, meta: CommitMeta) -> Handled:
    """Deposit and unused prepayment become due within the contract's policy deadline."""
    cmd = EndContract(uscc, contract_id, ended_on, china_today(clock))
    return run(store, uscc, lambda s: decide_end(s, cmd), meta)


def issue_refund(uscc: str, contract_id: str, reference: str, amount_fen: int, paid_on: date,
                 *, store: EventStore, clock: Clock, policies: Policies,
                 meta: CommitMeta) -> Handled:
    """Record money paid back to the resident (partial refunds add up)."""
    today = china_today(clock)
    cmd = IssueRefund(uscc, contract_id, reference.strip(), amount_fen, paid_on, today)
    return run(store, uscc, lambda s: decide_refund(
        s, cmd, policies.reserve_terms(s, uscc, today)), meta)


@dataclass(frozen=True)
class OverdueReport:
    """What one run looked at and which contracts it flagged (as USCC/contract id)."""

    as_of: date
    checked: int
    flagged: list[str]


def check_overdue(*, store: EventStore, clock: Clock, meta: CommitMeta) -> OverdueReport:
    """Every institution with an ended contract; RefundOverdue once per contract. It runs
    over every district: a national civil-affairs leader's call (the scheduler passes)."""
    meta = meta.authorized(Scope(departments=("civil_affairs",), duties=(LEADER,),
                                 national=True))
    today = china_today(clock)
    streams = store.streams_with("ContractEnded")
    flagged: list[str] = []
    for stream in streams:
        uscc = uscc_of(stream)
        try:
            handled = run(store, uscc, lambda s: decide_overdue(s, today), meta)
        except ConcurrencyConflict:
            # another writer was faster; the next run decides on the new state
            log.info("overdue check skipped %s: stream changed meanwhile", uscc)
            continue
        flagged += [f"{uscc}/{e.contract_id}" for e in handled.events]
    return OverdueReport(today, len(streams), flagged)
