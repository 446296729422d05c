"""The log in MongoDB: leaves (index, salted hash, record and salt while public) and signed
checkpoints. One writer appends (the consumer group's partitions are read by one member at a
time, and an index is taken with a unique _id, so two copies cannot both take it)."""

from __future__ import annotations

import os
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from translog.domain.leaves import leaf_data

LEAVES, CHECKPOINTS = "tl_leaves", "tl_checkpoints"
LATEST = "latest"  # the checkpoints' document naming the newest one


class MongoLog:
    def __init__(self, db: Database) -> None:
        self.leaves: Collection = db[LEAVES]
        self.checkpoints: Collection = db[CHECKPOINTS]

    def ensure_indexes(self) -> None:
        self.leaves.create_index("event_id", unique=True)
        self.leaves.create_index("key")

    def size(self) -> int:
        """Leaves are never deleted and indexes are dense: the count is the next index (the
        stand-in server does not sort integer ids numerically, so no sort is relied on)."""
        return int(self.leaves.count_documents({}))

    def append(self, event_id: str, key: str, record: dict[str, Any]) -> int:
        """The leaf's index; the same event again keeps its first index."""
        found = self.leaves.find_one({"event_id": event_id}, projection={"_id": 1})
        if found is not None:
            return int(found["_id"])
        salt = os.urandom(16)
        for _ in range(20):
            index = self.size()
            try:
                self.leaves.insert_one({"_id": index, "event_id": event_id, "key": key,
                                        "leaf": leaf_data(salt, record).hex(),
                                        "salt": salt.hex(), "record": record, "public": True})
                return index
            except DuplicateKeyError:
                again = self.leaves.find_one({"event_id": event_id}, projection={"_id": 1})
                if again is not None:
                    return int(again["_id"])
        raise RuntimeError("could not take a leaf index")

    def take_down(self, key: str) -> int:
        """Stop serving the records (and salts) of ``key``; their leaves stay."""
        result = self.leaves.update_many({"key": key, "public": True},
                                         {"$set": {"public": False},
                                          "$unset": {"record": "", "salt": ""}})
        return int(result.modified_count)

    def leaf_datas(self, size: int) -> list[bytes]:
        docs = sorted(self.leaves.find({"_id": {"$lt": size}}, projection={"leaf": 1}),
                      key=lambda d: int(d["_id"]))
        out = [bytes.fromhex(d["leaf"]) for d in docs]
        if len(out) != size:
            raise ValueError(f"the log has {len(out)} leaves below {size}")
        return out

    def entry(self, index: int) -> dict[str, Any] | None:
        return self.leaves.find_one({"_id": index})

    def by_event(self, event_id: str) -> dict[str, Any] | None:
        return self.leaves.find_one({"event_id": event_id})

    def by_key(self, key: str) -> list[dict[str, Any]]:
        return sorted(self.leaves.find({"key": key}), key=lambda d: int(d["_id"]))

    def save_checkpoint(self, size: int, note: str, at: str, previous: int = 0) -> bool:
        """Keep the note of ``size`` (each size once) and move "latest" forward only;
        ``previous`` is the size of the checkpoint before it, so the first checkpoint that
        includes a leaf is found without sorting (leaves ``previous``..``size``-1)."""
        try:
            self.checkpoints.insert_one({"_id": size, "note": note, "at": at,
                                         "previous": previous})
        except DuplicateKeyError:
            return False
        latest = self.checkpoints.find_one({"_id": LATEST})
        if latest is None or int(latest["size"]) < size:
            self.checkpoints.replace_one({"_id": LATEST},
                                         {"_id": LATEST, "size": size, "note": note, "at": at},
                                         upsert=True)
        return True

    def latest_checkpoint(self) -> dict[str, Any] | None:
        found = self.checkpoints.find_one({"_id": LATEST})
        return None if found is None else {**found, "_id": int(found["size"])}

    def checkpoint(self, size: int) -> dict[str, Any] | None:
        return self.checkpoints.find_one({"_id": size})

    def first_checkpoint_including(self, index: int) -> dict[str, Any] | None:
        """The first signed checkpoint whose tree holds leaf ``index``."""
        for doc in self.checkpoints.find({"previous": {"$lte": index}}):
            if isinstance(doc["_id"], int) and doc["_id"] > index:
                return dict(doc)
        return None
