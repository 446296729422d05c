"""Use cases of credit files: note a filing, add or withdraw a record, re-assess levels."""

from __future__ import annotations

from credit.app.common import CREDIT_FILE, RETRIES, Context, Handled, file_stream, run
from credit.domain import credit_file
from credit.domain.credit_file import AddRecord, CreditFile, NoteFiling
from shared.eventstore import CommitMeta, ConcurrencyConflict


def add_record(ctx: Context, meta: CommitMeta, cmd: AddRecord) -> Handled[CreditFile]:
    """Add once (a redelivered source event stores nothing); retried if overtaken."""
    return run(
        ctx, CREDIT_FILE, file_stream(cmd.uscc),
        lambda s: credit_file.decide_add(s, cmd, ctx.today(), ctx.level_rules), meta,
        retries=RETRIES)


def note_filing(ctx: Context, meta: CommitMeta, cmd: NoteFiling,
                absent: bool = False) -> Handled[CreditFile]:
    """The institution was filed: its file notes the date and gets its first level (once).
    ``absent``: its file is known to have no event yet (not read again)."""
    return run(
        ctx, CREDIT_FILE, file_stream(cmd.uscc),
        lambda s: credit_file.decide_note_filing(s, cmd, ctx.today(), ctx.level_rules), meta,
        retries=RETRIES, absent=absent)


def withdraw_record(ctx: Context, meta: CommitMeta, uscc: str, record_id: str,
                    reason: str) -> Handled[CreditFile]:
    """Withdraw once; an unknown or withdrawn record stores nothing."""
    return run(
        ctx, CREDIT_FILE, file_stream(uscc),
        lambda s: credit_file.decide_withdraw(s, record_id, reason, ctx.today(),
                                              ctx.level_rules), meta, retries=RETRIES)


def reassess_levels(ctx: Context, meta: CommitMeta) -> list[str]:
    """Scheduler: publish CreditLevelChanged where fading records or the end of the neutral
    period changed the level."""
    changed = []
    streams = set(ctx.store.streams_with("CreditRecordAdded"))
    streams |= set(ctx.store.streams_with("CreditFilingNoted"))
    for stream in sorted(streams):
        try:
            handled = run(ctx, CREDIT_FILE, stream, lambda s: credit_file.decide_reassess(
                s, ctx.today(), ctx.level_rules), meta)
        except ConcurrencyConflict:
            continue
        if handled.events:
            changed.append(stream.removeprefix("credit-"))
    return changed
