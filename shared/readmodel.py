"""Idempotent read-model writes: each document remembers the last stream version applied.

A document takes the events of one source stream; ``_v`` is the version of the last one it
took. An event at or below ``_v`` is a redelivery and changes nothing; the write that applies
an event filters on ``_v < version`` and sets ``_v`` in the same single-document update, so
two copies racing cannot both apply it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from shared import metrics

log = logging.getLogger(__name__)
DUPLICATE_KEY = 11000
MERGEABLE = ("$set", "$unset")  # later values win: several events fold into one update

Change = tuple[str, int, dict[str, Any]]  # (document id, stream version, update)


def apply_once(coll: Collection, doc_id: str, version: int, update: dict[str, Any],
               group: str = "") -> bool:
    """Apply ``update`` to one document unless it has already seen ``version``; whether it
    was applied."""
    return apply_many(coll, [(doc_id, version, update)], group) == 1


def apply_many(coll: Collection, changes: Sequence[Change], group: str = "") -> int:
    """Apply a batch of changes (in stream order per document) with one read and one bulk
    write, whatever the batch's size: per document, the changes above its ``_v`` are folded
    into one update (``$set``/``$unset``; later values win) that sets ``_v`` to the last one.
    Returns how many changes were applied (redeliveries are counted as duplicates)."""
    by_doc: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for doc_id, version, update in changes:
        by_doc.setdefault(doc_id, []).append((version, update))
    if not by_doc:
        return 0
    seen = {str(d["_id"]): int(d.get("_v", 0))
            for d in coll.find({"_id": {"$in": list(by_doc)}}, {"_v": 1})}
    ops, counts, duplicates = [], [], 0
    for doc_id, items in by_doc.items():
        last, taken = seen.get(doc_id, 0), 0
        merged: dict[str, dict[str, Any]] = {}
        for version, update in sorted(items, key=lambda vu: vu[0]):
            if version <= last:
                duplicates += 1
                continue
            if version != last + 1:
                metrics.EVENTS_GAP.labels(group).inc()
                log.error("version gap on %s: had %d, got %d", doc_id, last, version)
            if taken and (set(update) | set(merged)) - set(MERGEABLE):
                raise ValueError(f"only {', '.join(MERGEABLE)} fold into one update")
            for op, fields in update.items():
                other = merged.get({"$set": "$unset", "$unset": "$set"}.get(op, ""), {})
                for name in fields:
                    other.pop(name, None)  # the later of a set and an unset wins
                merged.setdefault(op, {}).update(dict(fields))
            last, taken = version, taken + 1
        if last == seen.get(doc_id, 0):
            continue
        merged = {op: fields for op, fields in merged.items() if fields}
        merged["$set"] = {**merged.get("$set", {}), "_v": last}
        ops.append(UpdateOne({"_id": doc_id, "_v": {"$lt": last}}, merged,
                             upsert=doc_id not in seen))
        counts.append(taken)
    applied = sum(counts)
    if ops:
        try:
            result = coll.bulk_write(ops, ordered=False)
            if result.modified_count + result.upserted_count < len(ops):
                # a racing copy applied some first (their filters found a newer _v); which
                # ones is only known for a single document
                lost = counts[0] if len(ops) == 1 else 0
                duplicates, applied = duplicates + lost, applied - lost
        except BulkWriteError as exc:  # a racing copy of the same events created a document
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            lost = sum(counts[int(e["index"])] for e in errors)
            duplicates, applied = duplicates + lost, applied - lost
    if duplicates:
        metrics.EVENTS_DUPLICATE.labels(group).inc(duplicates)
    return applied
