"""Idempotent read-model writes: each document remembers the last stream version applied."""

from __future__ import annotations

import logging
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared import metrics

log = logging.getLogger(__name__)


def apply_once(coll: Collection, doc_id: str, version: int, update: dict[str, Any],
               group: str = "") -> bool:
    """Apply ``update`` to one document unless it has already seen ``version``.

    The filter ``_v < version`` and the ``_v`` it sets are one atomic single-document write,
    so a redelivered event changes nothing. Returns whether the update was applied.
    """
    current = coll.find_one({"_id": doc_id}, {"_v": 1})
    seen = int(current.get("_v", 0)) if current else 0
    if version <= seen:
        metrics.EVENTS_DUPLICATE.labels(group).inc()
        return False
    if version != seen + 1:
        metrics.EVENTS_GAP.labels(group).inc()
        log.error("version gap on %s: had %d, got %d", doc_id, seen, version)
    update = {**update, "$set": {**update.get("$set", {}), "_v": version}}
    try:
        res = coll.update_one({"_id": doc_id, "_v": {"$lt": version}}, update,
                              upsert=current is None)
    except DuplicateKeyError:  # a racing copy of the same event created it first
        metrics.EVENTS_DUPLICATE.labels(group).inc()
        return False
    return bool(res.modified_count or res.upserted_id is not None)
