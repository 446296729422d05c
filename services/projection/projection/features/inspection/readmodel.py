"""Storage of the inspection pages: an inbox for rebuilds, one cursor per stream, the views.

Each event is kept in the inbox (``_id`` = event id), then, unless its stream's cursor has
seen it, its changes are $set (each carries the full state it describes, so repeating one is
harmless) and the cursor advances with shared.readmodel.apply_once. Rebuild replays the inbox
through the same function, each stream in version order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from tqdm import tqdm

from projection.features.inspection.views import INSPECTORS, ITEMS, PLANS, RESULTS, changes
from shared.envelope import Envelope
from shared.readmodel import apply_once

GROUP = "projection.inspection"
INBOX, CURSORS = "insp_pub_inbox", "insp_pub_cursors"
VIEWS = (PLANS, RESULTS, ITEMS, INSPECTORS, CURSORS)


def prepare(db: Database) -> None:
    """Single-field indexes for every filter and sort (idempotent)."""
    db[INBOX].create_index("skey")
    db[RESULTS].create_index("uscc")
    db[RESULTS].create_index("plan_id")


def apply(db: Database, subject: str, version: int, name: str, data: dict,
          group: str = GROUP) -> bool:
    """Apply one event unless its stream already passed it; True when it changed anything."""
    seen = db[CURSORS].find_one({"_id": subject}, {"_v": 1})
    if seen and int(seen.get("_v", 0)) >= version:
        return False
    for coll, doc_id, fields in changes(name, data):
        if fields:
            db[coll].update_one({"_id": doc_id}, {"$set": fields}, upsert=True)
    return apply_once(db[CURSORS], subject, version, {}, group)


def keep(db: Database, env: Envelope) -> None:
    """The inbox copy used by rebuilds (a redelivery is stored once)."""
    try:
        db[INBOX].insert_one({"_id": env.id, "subject": env.subject, "name": env.name,
                              "version": env.stream_version, "data": env.data,
                              "skey": f"{env.subject}:{env.stream_version:012d}"})
    except DuplicateKeyError:
        pass


def build_handler(db: Database) -> Callable[[Envelope], None]:
    def handle(env: Envelope) -> None:
        keep(db, env)
        apply(db, env.subject, env.stream_version, env.name, env.data)

    return handle


def rebuild(db: Database, progress: bool = True) -> int:
    """Drop the views and replay the inbox; gives exactly what live consumption stored."""
    for name in VIEWS:
        db.drop_collection(name)
    prepare(db)
    total = int(db[INBOX].estimated_document_count())
    docs = tqdm(db[INBOX].find({}).sort("skey", 1), total=total, disable=not progress,
                unit=" events", desc="rebuild inspection", file=sys.stderr)
    return sum(apply(db, d["subject"], int(d["version"]), d["name"], d["data"],
                     f"{GROUP}.rebuild") for d in docs)
