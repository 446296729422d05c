"""Use cases of the serious-dishonesty list: propose, decide, execute measures, delist."""

from __future__ import annotations

from collections.abc import Callable

from credit.app.common import (
    DISHONESTY,
    RETRIES,
    Context,
    Handled,
    dishonesty_stream,
    district_of,
    run,
)
from credit.domain import listing
from credit.domain.events import JointMeasureOverdue, SeriousDishonestyDelisted
from credit.domain.listing import Decide, Propose
from credit.domain.listing_state import Dishonesty
from shared.authority import LEADER, WRITE_DUTIES, Scope
from shared.eventstore import CommitMeta, ConcurrencyConflict


def _scope(uscc: str, departments: tuple[str, ...] | None,
           duties: tuple[str, ...]) -> Callable[[Dishonesty], Scope]:
    return lambda _: Scope(departments=departments, district=district_of(uscc), duties=duties)


# the serious-dishonesty list is civil affairs' (民政部门), and its decisions are the leader's
LISTING = ("civil_affairs",)


def propose(ctx: Context, meta: CommitMeta, cmd: Propose) -> Handled[Dishonesty]:
    """Step one; a mapped event proposes at most once."""
    return run(ctx, DISHONESTY, dishonesty_stream(cmd.uscc),
               lambda s: listing.decide_propose(s, cmd), meta, retries=RETRIES,
               scope=_scope(cmd.uscc, None, WRITE_DUTIES))


def decide(ctx: Context, meta: CommitMeta, uscc: str, cmd: Decide) -> Handled[Dishonesty]:
    """Step two by civil affairs: list with the catalogue's measures, or reject."""
    return run(ctx, DISHONESTY, dishonesty_stream(uscc), lambda s: listing.decide_decision(
        s, cmd, ctx.listing_rules, ctx.calendar), meta, scope=_scope(uscc, LISTING, (LEADER,)))


def execute_measure(ctx: Context, meta: CommitMeta, uscc: str, measure_id: str,
                    note: str) -> Handled[Dishonesty]:
    """A department reports its measure executed; departments racing are retried."""
    return run(ctx, DISHONESTY, dishonesty_stream(uscc), lambda s: listing.decide_execute(
        s, measure_id, meta.actor_dept, note, ctx.today()), meta, retries=RETRIES,
        scope=_scope(uscc, None, WRITE_DUTIES))


def remove_on_application(ctx: Context, meta: CommitMeta, uscc: str, no_new_serious: bool,
                          obligations_done: bool, decision_no: str) -> Handled[Dishonesty]:
    """Removal after the minimum period when a condition of art. 11 holds."""
    return run(ctx, DISHONESTY, dishonesty_stream(uscc), lambda s: listing.decide_removal(
        s, no_new_serious, obligations_done, decision_no, ctx.today()), meta,
        scope=_scope(uscc, LISTING, (LEADER,)))


def decide_repair(ctx: Context, meta: CommitMeta, uscc: str, approved: bool, decision_no: str,
                  reason: str) -> Handled[Dishonesty]:
    """Credit repair with its own decision; approval (after the minimum period) delists."""
    return run(ctx, DISHONESTY, dishonesty_stream(uscc), lambda s: listing.decide_repair(
        s, approved, decision_no, reason, ctx.today()), meta,
        scope=_scope(uscc, LISTING, (LEADER,)))


def correct_listing(ctx: Context, meta: CommitMeta, uscc: str, decision_no: str,
                    reason: str) -> Handled[Dishonesty]:
    """A wrong listing is corrected by the department that lists (not removed)."""
    return run(ctx, DISHONESTY, dishonesty_stream(uscc), lambda s: listing.decide_correct(
        s, meta.actor_dept, decision_no, reason, ctx.today()), meta,
        scope=_scope(uscc, LISTING, (LEADER,)))


def check_listings(ctx: Context, meta: CommitMeta) -> dict[str, list[str]]:
    """Scheduler: expire listings at the end of their period; flag overdue measures once."""
    report: dict[str, list[str]] = {"expired": [], "overdue_measures": []}
    for stream in ctx.store.streams_with("SeriousDishonestyListed"):
        try:
            handled = run(ctx, DISHONESTY, stream,
                          lambda s: listing.decide_check(s, ctx.today()), meta)
        except ConcurrencyConflict:
            continue
        for e in handled.events:
            if isinstance(e, SeriousDishonestyDelisted):
                report["expired"].append(e.uscc)
            elif isinstance(e, JointMeasureOverdue):
                report["overdue_measures"].append(e.measure_id)
    return report
