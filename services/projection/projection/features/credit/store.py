"""Credit read models in the projection database, written only from credit events.

- credit_inbox: every credit event (``_id`` = event id), ``skey`` = <stream>:<version>, to rebuild.
- credit_penalties (``_id`` penalty id), credit_listings (``_id`` USCC), credit_levels
  (``_id`` USCC): shared.readmodel.apply_once with ``_v`` = the stream's version.
- credit_measures (``_id`` measure id): written only by a newer version of its listing stream.
Only JSON-native values are stored (dates as ISO text, flags as 0/1), never an ID hash.
"""

from __future__ import annotations

import sys
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from tqdm import tqdm

from projection.features.credit import views
from shared.envelope import Envelope, parse_ce_type
from shared.readmodel import apply_once

INBOX, PENALTIES, LISTINGS, MEASURES, LEVELS = ("credit_inbox", "credit_penalties",
                                                "credit_listings", "credit_measures",
                                                "credit_levels")
REBUILD_GROUP = "projection.credit.rebuild"
INDEXES = {INBOX: ("skey",), PENALTIES: ("uscc", "display_until"), LISTINGS: ("status",),
           MEASURES: ("department", "uscc"), LEVELS: ("level",)}


def ensure_indexes(db: Database) -> None:
    """One single-field index per filter (nx-27017 serves queries only from those)."""
    for coll, keys in INDEXES.items():
        for key in keys:
            db[coll].create_index(key)


def store_inbox(db: Database, env: Envelope) -> None:
    """Keep the event for rebuilds; a redelivery is stored once."""
    try:
        db[INBOX].insert_one({"_id": env.id, "subject": env.subject, "type": env.type,
                              "version": env.stream_version, "time": env.time.isoformat(),
                              "skey": f"{env.subject}:{env.stream_version:012d}",
                              "data": env.data})
    except DuplicateKeyError:
        pass


def apply(db: Database, name: str, subject: str, version: int, data: dict[str, Any],
          group: str) -> None:
    """Apply one event to the read model of its stream (idempotent per stream version)."""
    kind, _, key = subject.partition("-")
    fields = views.fields_for(name, data)
    target = {"penalty": PENALTIES, "dishonesty": LISTINGS, "credit": LEVELS}.get(kind)
    if target is not None:
        apply_once(db[target], key, version, {"$set": fields}, group)
    measure = views.measure_fields(name, data)
    if measure is not None:
        _apply_newer(db[MEASURES], data["measure_id"], version, measure)


def _apply_newer(coll: Collection, doc_id: str, version: int, fields: dict[str, Any]) -> None:
    """Measures see only some of their stream's versions, so gaps are normal here."""
    current = coll.find_one({"_id": doc_id}, {"_v": 1})
    if current is not None and int(current.get("_v", 0)) >= version:
        return
    update = {"$set": {**fields, "_v": version}}
    try:
        coll.update_one({"_id": doc_id, "_v": {"$lt": version}} if current else {"_id": doc_id},
                        update, upsert=current is None)
    except DuplicateKeyError:  # a racing copy of the same event created it first
        pass


class CreditHandler:
    """EventConsumer handler: inbox first, then the read models."""

    def __init__(self, db: Database, group: str) -> None:
        self.db, self.group = db, group

    def __call__(self, env: Envelope) -> None:
        store_inbox(self.db, env)
        apply(self.db, env.name, env.subject, env.stream_version, env.data, self.group)


def rebuild(db: Database, progress: bool = True) -> None:
    """Drop the read models and replay the inbox, each stream in version order."""
    for coll in (PENALTIES, LISTINGS, MEASURES, LEVELS):
        db.drop_collection(coll)
    ensure_indexes(db)
    docs = db[INBOX].find({}).sort("skey", 1)
    total = db[INBOX].estimated_document_count()
    for doc in tqdm(docs, total=total, disable=not progress, desc="credit", file=sys.stderr):
        name = parse_ce_type(doc["type"])[1]
        apply(db, name, doc["subject"], int(doc["version"]), doc["data"], REBUILD_GROUP)
