"""Effects a source event can have on credit, and how they are applied (idempotently)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from credit.app import listings, records
from credit.app.common import Context, file_stream
from credit.domain.credit_file import AddRecord, NoteFiling
from credit.domain.listing import Propose
from shared.clock import CHINA_TZ
from shared.envelope import Envelope
from shared.eventstore import CommitMeta


@dataclass(frozen=True)
class WithdrawRecord:
    uscc: str
    record_id: str
    reason: str


Effect = AddRecord | WithdrawRecord | NoteFiling | Propose


def day(env: Envelope, data_key: str | None = None) -> date:
    """The event's own date field, else the event time's date in China."""
    if data_key and env.data.get(data_key):
        return date.fromisoformat(env.data[data_key])
    return env.time.astimezone(CHINA_TZ).date()


def record(env: Envelope, uscc: str, category: str, summary: str, date_key: str,
           record_id: str | None = None) -> AddRecord:
    """A credit record that keeps the source event's id."""
    return AddRecord(uscc=uscc, record_id=record_id or f"{env.service}:{env.id}",
                     source=env.service, source_event_id=env.id, source_type=env.name,
                     category=category, occurred_on=day(env, date_key), summary=summary)


def apply(ctx: Context, effects: list[Effect], env: Envelope,
          files: set[str] | None = None) -> None:
    """Apply each effect; each is idempotent, so a redelivered event changes nothing.

    ``files``: the credit files that exist (read once for a consumer's batch); a filing of an
    institution without one decides on an empty file without reading it. Every effect's
    file is added to it afterwards (it may have created it)."""
    meta = CommitMeta(command_id=env.id, actor_dept="system",
                      actor=f"credit.consumer.{env.service}")
    for effect in effects:
        if isinstance(effect, AddRecord):
            records.add_record(ctx, meta, effect)
        elif isinstance(effect, NoteFiling):
            records.note_filing(ctx, meta, effect, absent=files is not None
                                and file_stream(effect.uscc) not in files)
        elif isinstance(effect, WithdrawRecord):
            records.withdraw_record(ctx, meta, effect.uscc, effect.record_id, effect.reason)
        else:
            listings.propose(ctx, meta, effect)
        if files is not None and not isinstance(effect, Propose):
            files.add(file_stream(effect.uscc))
