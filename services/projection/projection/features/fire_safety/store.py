"""The fire-safety read model: an inbox of every event and one document per inspection."""

from __future__ import annotations

import sys
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from tqdm import tqdm

from projection.features.fire_safety.fold import FIELDS_OF, View, blank, evolve
from shared.envelope import Envelope, parse_ce_type
from shared.readmodel import apply_once

INBOX = "fs_inbox"
VIEWS = "fs_inspections"
GROUP = "projection.fire-safety"
PREFIX = "fireinspection-"


def prepare(db: Database) -> None:
    """Single-field indexes (nx-27017 answers queries only through those)."""
    for key in ("subject", "skey"):
        db[INBOX].create_index(key)
    for key in ("institution_uscc", "open_hazards", "open_major"):
        db[VIEWS].create_index(key)


def current_view(coll: Collection, inspection_id: str) -> View:
    doc = coll.find_one({"_id": inspection_id}) or {}
    return {**blank(inspection_id), **{k: doc[k] for k in FIELDS_OF if k in doc}}


def apply_event(coll: Collection, inspection_id: str, name: str, data: dict[str, Any],
                version: int, group: str = GROUP) -> bool:
    """Fold one event into the stored view unless that version was applied already."""
    view = evolve(current_view(coll, inspection_id), name, data)
    return apply_once(coll, inspection_id, version, {"$set": view}, group)


def store_in_inbox(db: Database, env: Envelope) -> None:
    """Keep the event once (keyed by its id) so the model can be rebuilt."""
    try:
        db[INBOX].insert_one({
            "_id": env.id, "subject": env.subject, "type": env.type, "data": env.data,
            "stream_version": env.stream_version,
            "skey": f"{env.subject}:{env.stream_version:012d}"})
    except DuplicateKeyError:
        pass


class Handler:
    """EventConsumer handler: inbox first, then the inspection's view."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, env: Envelope) -> None:
        store_in_inbox(self.db, env)
        if env.subject.startswith(PREFIX):
            apply_event(self.db[VIEWS], env.subject.removeprefix(PREFIX), env.name, env.data,
                        env.stream_version)


def rebuild(db: Database, progress: bool = True) -> int:
    """Fold every inspection again from the inbox; write it unless live is already newer."""
    prepare(db)
    inbox = db[INBOX]
    events = inbox.find({}).sort("skey", 1)
    views: dict[str, tuple[View, int]] = {}
    for doc in tqdm(events, total=inbox.estimated_document_count(), disable=not progress,
                    desc="fire_safety", unit=" events", file=sys.stderr):
        if not doc["subject"].startswith(PREFIX):
            continue  # checklist templates are not shown
        iid = doc["subject"].removeprefix(PREFIX)
        view, _ = views.get(iid, (blank(iid), 0))
        name = parse_ce_type(doc["type"])[1]
        views[iid] = (evolve(view, name, doc["data"]), int(doc["stream_version"]))
    for iid, (view, version) in views.items():
        _write(db[VIEWS], iid, view, version)
    db[VIEWS].delete_many({"_id": {"$nin": list(views)}})
    return len(views)


def _write(coll: Collection, iid: str, view: View, version: int) -> None:
    try:
        coll.update_one({"_id": iid, "_v": {"$lte": version}}, {"$set": {**view, "_v": version}},
                        upsert=True)
    except DuplicateKeyError:
        pass  # a live consumer already stored a newer version
