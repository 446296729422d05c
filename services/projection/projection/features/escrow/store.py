"""MongoDB side of the escrow read model: inbox, idempotent apply, rebuild from the inbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from tqdm import tqdm

from projection.features.escrow.fold import (
    View,
    blank_institution,
    blank_policy,
    evolve_institution,
    evolve_policy,
)
from shared.envelope import Envelope, parse_ce_type
from shared.readmodel import apply_once

GROUP = "projection.escrow"
REBUILD_GROUP = "projection.escrow.rebuild"
INBOX = "esc_inbox"
INSTITUTIONS = "esc_institutions"
POLICIES = "esc_policies"
Event = tuple[str, str, int, dict[str, Any]]  # (subject, name, stream version, data)


def prepare(db: Database) -> None:
    """Single-field indexes only (nx-27017 answers queries from those)."""
    db[INBOX].create_index("skey")
    db[INSTITUTIONS].create_index("jurisdiction")


def _target(subject: str) -> tuple[str, str]:
    """(collection, document id) for a stream: escrow-<USCC> or policy-<jurisdiction>."""
    kind, _, key = subject.partition("-")
    return (POLICIES if kind == "policy" else INSTITUTIONS), key


def _fold(doc: dict[str, Any] | None, coll: str, key: str, name: str,
          data: dict[str, Any]) -> View:
    if coll == POLICIES:
        base = {**blank_policy(key), **{k: doc[k] for k in blank_policy(key) if doc and k in doc}}
        return evolve_policy(base, name, data)
    blank = blank_institution(key)
    base = {**blank, **{k: doc[k] for k in blank if doc and k in doc}}
    return evolve_institution(base, name, data)


def apply_event(db: Database, event: Event, group: str = GROUP) -> bool:
    """Fold one event into its view unless that stream version was already applied."""
    subject, name, version, data = event
    coll, key = _target(subject)
    view = _fold(db[coll].find_one({"_id": key}), coll, key, name, data)
    return apply_once(db[coll], key, version, {"$set": view}, group)


def store_inbox(db: Database, env: Envelope) -> None:
    """Keep every event once (by id) so the views can be rebuilt exactly."""
    try:
        db[INBOX].insert_one({"_id": env.id, "subject": env.subject, "type": env.type,
                              "stream_version": env.stream_version, "data": env.data,
                              "skey": f"{env.subject}:{env.stream_version:012d}"})
    except DuplicateKeyError:
        pass


def to_event(env: Envelope) -> Event:
    return env.subject, parse_ce_type(env.type)[1], env.stream_version, env.data


class EscrowHandler:
    """EventConsumer handler: inbox first, then the view."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, env: Envelope) -> None:
        store_inbox(self.db, env)
        apply_event(self.db, to_event(env))


def inbox_events(db: Database) -> Iterator[Event]:
    """Every kept event, each stream's versions together and in order."""
    for d in db[INBOX].find({}).sort("skey", 1):
        yield d["subject"], parse_ce_type(d["type"])[1], int(d["stream_version"]), d["data"]


def rebuild(db: Database, progress: bool = True) -> int:
    """Drop the views and replay the inbox through the same fold as the live consumer."""
    db[INSTITUTIONS].delete_many({})
    db[POLICIES].delete_many({})
    total = db[INBOX].estimated_document_count()
    applied = 0
    for event in tqdm(inbox_events(db), total=total, disable=not progress, desc="escrow"):
        applied += apply_event(db, event, REBUILD_GROUP)
    return applied
