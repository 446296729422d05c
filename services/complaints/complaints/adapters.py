"""MongoDB adapter of the key table (app/vault.py): wrapped data keys in their own database."""

from __future__ import annotations

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


class MongoKeys:
    """Wrapped keys in their own collection (its own database: see bootstrap)."""

    def __init__(self, col: Collection) -> None:
        self.col = col

    def insert_if_absent(self, complaint_id: str, wrapped: bytes) -> bytes:
        try:
            self.col.insert_one({"_id": complaint_id, "wrapped": wrapped})
        except DuplicateKeyError:
            pass
        found = self.get(complaint_id)
        if found is None:  # erased between insert and read: refuse rather than reuse
            raise RuntimeError("data key vanished")
        return found

    def get(self, complaint_id: str) -> bytes | None:
        doc = self.col.find_one({"_id": complaint_id})
        return bytes(doc["wrapped"]) if doc else None

    def delete(self, complaint_id: str) -> None:
        self.col.delete_one({"_id": complaint_id})
