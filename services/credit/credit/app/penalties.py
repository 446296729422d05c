"""Use cases of administrative penalties: record, publish, withdraw, end early, check overdue."""

from __future__ import annotations

import hashlib
from datetime import date

from credit.app.common import (
    CREDIT_FILE,
    DISHONESTY,
    PENALTY,
    Context,
    Handled,
    dishonesty_stream,
    file_stream,
    load,
    penalty_stream,
    run,
)
from credit.domain import credit_file, penalty
from credit.domain.errors import NotFound
from credit.domain.penalty import Actor, Penalty, RecordPenalty
from shared.authority import WRITE_DUTIES, Scope
from shared.eventstore import CommitMeta, ConcurrencyConflict


def penalty_id_for(decision_no: str) -> str:
    """Derived from the decision number, so a retried recording finds the same stream."""
    return "pn" + hashlib.sha1("".join(decision_no.split()).encode()).hexdigest()[:16]


def actor(meta: CommitMeta, region: str = "") -> Actor:
    """The acting department is the token's (meta.actor_dept); region from the token too."""
    return Actor(meta.actor_dept, region)


def _scope(state: Penalty, district: str | None = None) -> Scope:
    """谁办案、谁负责: the deciding department (the caller's, for a new decision; the stored
    one after), clerk or leader, where the deciding authority sits (its district_code)."""
    d = state.decided
    owner = state.department
    return Scope(departments=(owner,) if owner else None,
                 district=d.district_code if d else district, duties=WRITE_DUTIES)


def record_penalty(ctx: Context, meta: CommitMeta, cmd: RecordPenalty,
                   region: str = "") -> Handled[Penalty]:
    """Record a decision as the acting department's; the same decision again stores nothing."""
    who = actor(meta, region)
    return run(ctx, PENALTY, penalty_stream(cmd.penalty_id),
               lambda s: penalty.decide_record(s, cmd, who, ctx.calendar, ctx.penalty_rules),
               meta, scope=lambda s: _scope(s, cmd.district_code))


def publish_penalty(ctx: Context, meta: CommitMeta, penalty_id: str,
                    region: str = "") -> Handled[Penalty]:
    """The deciding department publishes today; the display period starts now."""
    who = actor(meta, region)
    return run(ctx, PENALTY, penalty_stream(penalty_id),
               lambda s: penalty.decide_publish(s, who, ctx.today()), meta, scope=_scope)


def withdraw_penalty(ctx: Context, meta: CommitMeta, penalty_id: str, change: str, reason: str,
                     revoked_on: date, region: str = "") -> Handled[Penalty]:
    """The decision was changed, revoked or voided: its department withdraws the disclosure."""
    who = actor(meta, region)
    return run(ctx, PENALTY, penalty_stream(penalty_id), lambda s: penalty.decide_withdraw(
        s, who, change, reason, revoked_on, ctx.today(), ctx.calendar, ctx.penalty_rules), meta,
        scope=_scope)


def end_display_early(ctx: Context, meta: CommitMeta, penalty_id: str, obligations_met: bool,
                      harm_removed: bool, region: str = "") -> Handled[Penalty]:
    """The two attested conditions plus the two the service checks itself."""
    who = actor(meta, region)
    state, _ = load(ctx, PENALTY, penalty_stream(penalty_id))
    if state.decided is None:
        raise NotFound("没有该行政处罚记录")
    meta = meta.authorized(_scope(state))
    penalty.check_owner(state, who)  # 403 before looking at the institution's other records
    conditions = {"obligations_met": obligations_met, "harm_removed": harm_removed,
                  "no_repeat": True, "not_listed": True}
    if state.uscc:
        conditions["no_repeat"] = not _repeated(ctx, state)
        conditions["not_listed"] = not is_listed(ctx, state.uscc)
    return run(ctx, PENALTY, penalty_stream(penalty_id), lambda s: penalty.decide_end_early(
        s, who, conditions, ctx.today(), ctx.penalty_rules), meta, scope=_scope)


def _repeated(ctx: Context, state: Penalty) -> bool:
    assert state.decided is not None and state.uscc
    file, _ = load(ctx, CREDIT_FILE, file_stream(state.uscc))
    return credit_file.repeated(file, penalty_category(state.decided.violation_type),
                                state.decided.decided_on,
                                penalty_record_id(state.decided.penalty_id))


def is_listed(ctx: Context, uscc: str) -> bool:
    """On the serious-dishonesty list now."""
    listing, _ = load(ctx, DISHONESTY, dishonesty_stream(uscc))
    return listing.current is not None and listing.current.status == "listed"


def penalty_category(violation_type: str) -> str:
    return f"penalty.{violation_type}"


def penalty_record_id(penalty_id: str) -> str:
    return f"penalty:{penalty_id}"


def check_overdue_disclosures(ctx: Context, meta: CommitMeta) -> list[str]:
    """Scheduler: flag each publishable penalty still unpublished after its due date, once."""
    flagged = []
    for stream in ctx.store.streams_with("PenaltyDecided"):
        try:
            handled = run(ctx, PENALTY, stream,
                          lambda s: penalty.decide_check_overdue(s, ctx.today()), meta)
        except ConcurrencyConflict:
            continue  # someone else wrote; the next run decides on the new state
        if handled.events:
            flagged.append(stream.removeprefix("penalty-"))
    return flagged
