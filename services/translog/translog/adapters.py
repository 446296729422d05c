"""The log in MongoDB: leaves (index, salted hash, record and salt while public) and signed
checkpoints. One writer appends (the consumer group's partitions are read by one member at a
time, and an index is taken with a unique _id, so two copies cannot both take it)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared import merkle
from translog.domain.leaves import leaf_data

LEAVES, CHECKPOINTS, NODES = "tl_leaves", "tl_checkpoints", "tl_nodes"
LATEST = "latest"  # the checkpoints' document naming the newest one
PROBE = 1000  # leaf indexes asked for in one read
NODE_LEVEL = 6  # perfect subtrees of 64 leaves and more are kept; smaller ones are hashed


class MongoLog:
    def __init__(self, db: Database) -> None:
        self.leaves: Collection = db[LEAVES]
        self.checkpoints: Collection = db[CHECKPOINTS]
        self.nodes: Collection = db[NODES]
        self._next: int | None = None  # the next leaf index, once counted

    def ensure_indexes(self) -> None:
        self.leaves.create_index("event_id", unique=True)
        self.leaves.create_index("key")

    def size(self) -> int:
        """The number of leaves: indexes are dense and leaves never deleted, so it is the last
        checkpoint's size plus the unbroken run of indexes written since. Not a count: on the
        stand-in server a count scans the whole log (seconds per 100,000 leaves), and the
        signer asked for it every few seconds."""
        latest = self.latest_checkpoint()
        start = 0 if latest is None else int(latest["_id"])
        return start + sum(1 for _ in self._run(start, {"_id": 1}))

    def _run(self, start: int, projection: dict[str, int]) -> Iterator[dict[str, Any]]:
        """The leaves from ``start`` up to the first index not (yet) written, in order.

        Asked by index, PROBE at a time: the stand-in serves an ``$in`` on ``_id`` from its
        index but scans the whole log for a range on it; nor does it sort integer ids
        numerically."""
        while True:
            wanted = range(start, start + PROBE)
            found = self._by_index(wanted, projection)
            for index in wanted:
                if index not in found:
                    return
                yield found[index]
            start += PROBE

    def _by_index(self, wanted: range, projection: dict[str, int]) -> dict[int, dict[str, Any]]:
        return {int(d["_id"]): d for d in
                self.leaves.find({"_id": {"$in": list(wanted)}}, projection)}

    def append(self, event_id: str, key: str, record: dict[str, Any]) -> int:
        """The leaf's index; the same event again keeps its first index.

        The next index is counted once and then kept (this process is the one writer; a
        count costs a scan of the log on the stand-in server, so counting per leaf made each
        append slower as the log grew). One insert per new leaf: the unique ``event_id``
        refuses a second copy of an event and the unique ``_id`` an index someone else took;
        either way the log is asked which, and the kept index is counted afresh."""
        salt = os.urandom(16)
        for _ in range(20):
            if self._next is None:
                self._next = self.size()
            index = self._next
            try:
                self.leaves.insert_one({"_id": index, "event_id": event_id, "key": key,
                                        "leaf": leaf_data(salt, record).hex(),
                                        "salt": salt.hex(), "record": record, "public": True})
            except DuplicateKeyError:
                self._next = None
                again = self.leaves.find_one({"event_id": event_id}, projection={"_id": 1})
                if again is not None:
                    return int(again["_id"])
                continue
            self._next = index + 1
            return index
        raise RuntimeError("could not take a leaf index")

    def append_many(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]:
        """Several leaves at once (a consumer's batch), in order: one insert under
        consecutive indexes. An event the log holds already (a redelivery) or an index
        someone else took stops the insert there, and the rest go one by one (``append``,
        which keeps an event's first index). Nothing is looked up first: the stand-in would
        scan the whole log for an ``$in`` on ``event_id``."""
        if self._next is None:
            self._next = self.size()
        docs, salt, known = [], os.urandom(16), {}
        for event_id, key, record in items:
            if event_id in known:
                continue  # the same event twice in one batch: one leaf
            known[event_id] = self._next + len(docs)
            docs.append({"_id": known[event_id], "event_id": event_id, "key": key,
                         "leaf": leaf_data(salt, record).hex(), "salt": salt.hex(),
                         "record": record, "public": True})
        try:
            if docs:
                self.leaves.insert_many(docs, ordered=True)
        except BulkWriteError as exc:
            self._next = None
            unwritten = {d["event_id"] for d in docs[int(exc.details.get("nInserted", 0)):]}
            out = []
            for event_id, key, record in items:
                if event_id in unwritten:
                    known[event_id] = self.append(event_id, key, record)
                    unwritten.discard(event_id)
                out.append(known[event_id])
            return out
        if docs:
            self._next = int(docs[-1]["_id"]) + 1
        return [known[event_id] for event_id, _, _ in items]

    def take_down(self, key: str) -> int:
        """Stop serving the records (and salts) of ``key``; their leaves stay."""
        result = self.leaves.update_many({"key": key, "public": True},
                                         {"$set": {"public": False},
                                          "$unset": {"record": "", "salt": ""}})
        return int(result.modified_count)

    def leaf_datas(self, size: int, start: int = 0) -> list[bytes]:
        """The leaves ``start``..``size``-1 in order."""
        out = []
        for first in range(start, size, PROBE):
            wanted = range(first, min(size, first + PROBE))
            found = self._by_index(wanted, {"leaf": 1})
            out.extend(bytes.fromhex(found[i]["leaf"]) for i in wanted if i in found)
        if len(out) != size - start:
            raise ValueError(f"the log has {len(out)} leaves from {start} below {size}")
        return out

    def leaves_from(self, start: int) -> list[bytes]:
        """The leaves from ``start`` up to the first index not (yet) written, in order: what
        a checkpoint after one of size ``start`` covers. A writer's batch half-way in shows
        as its written prefix, never as a leaf beyond a gap."""
        return [bytes.fromhex(d["leaf"]) for d in self._run(start, {"leaf": 1})]

    def entry(self, index: int) -> dict[str, Any] | None:
        return self.leaves.find_one({"_id": index})

    def by_event(self, event_id: str) -> dict[str, Any] | None:
        return self.leaves.find_one({"event_id": event_id})

    def by_key(self, key: str) -> list[dict[str, Any]]:
        return sorted(self.leaves.find({"key": key}), key=lambda d: int(d["_id"]))

    def save_checkpoint(self, size: int, note: str, at: str, previous: int = 0,
                        frontier: Sequence[bytes] = ()) -> bool:
        """Keep the note of ``size`` (each size once) and move "latest" forward only;
        ``previous`` is the size of the checkpoint before it, so the first checkpoint that
        includes a leaf is found without sorting (leaves ``previous``..``size``-1);
        ``frontier`` is the tree's compact range, from which the next checkpoint goes on."""
        hexes = [h.hex() for h in frontier]
        try:
            self.checkpoints.insert_one({"_id": size, "note": note, "at": at,
                                         "previous": previous, "frontier": hexes,
                                         "nodes": NODE_LEVEL})
        except DuplicateKeyError:
            return False
        latest = self.checkpoints.find_one({"_id": LATEST})
        if latest is None or int(latest["size"]) < size:
            self.checkpoints.replace_one({"_id": LATEST},
                                         {"_id": LATEST, "size": size, "note": note, "at": at,
                                          "frontier": hexes, "nodes": NODE_LEVEL},
                                         upsert=True)
        return True

    def latest_checkpoint(self) -> dict[str, Any] | None:
        """The newest checkpoint; its compact range only when the perfect subtrees below it
        were kept too (a checkpoint signed before they were is gone on from as if it had
        none: the next one reads every leaf and keeps them, once)."""
        found = self.checkpoints.find_one({"_id": LATEST})
        if found is None:
            return None
        if found.get("nodes") != NODE_LEVEL:
            found.pop("frontier", None)
        return {**found, "_id": int(found["size"])}

    def save_nodes(self, nodes: Sequence[tuple[int, int, bytes]]) -> None:
        """Keep the roots of perfect subtrees (level, index, hash) of NODE_LEVEL and above,
        before the checkpoint that covers them is saved. A subtree's root follows from its
        leaves, which never change: one kept already is left as it is."""
        docs = [{"_id": f"{level}/{index}", "h": digest.hex()}
                for level, index, digest in nodes if level >= NODE_LEVEL]
        if not docs:
            return
        try:
            self.nodes.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", ())):
                raise

    def perfect(self, level: int, index: int) -> bytes:
        """The root of the perfect subtree of leaves ``index * 2**level`` onwards: kept, or
        hashed from the leaves (below NODE_LEVEL, or past the last checkpoint)."""
        if level >= NODE_LEVEL:
            found = self.nodes.find_one({"_id": f"{level}/{index}"})
            if found is not None:
                return bytes.fromhex(found["h"])
            return merkle.node_hash(self.perfect(level - 1, 2 * index),
                                    self.perfect(level - 1, 2 * index + 1))
        first = index << level
        return merkle.root([merkle.leaf_hash(x)
                            for x in self.leaf_datas(first + (1 << level), first)])

    def checkpoint(self, size: int) -> dict[str, Any] | None:
        return self.checkpoints.find_one({"_id": size})

    def first_checkpoint_including(self, index: int) -> dict[str, Any] | None:
        """The first signed checkpoint whose tree holds leaf ``index``."""
        for doc in self.checkpoints.find({"previous": {"$lte": index}}):
            if isinstance(doc["_id"], int) and doc["_id"] > index:
                return dict(doc)
        return None
