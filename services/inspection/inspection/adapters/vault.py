"""Secret seeds (kept out of events until the draw) and published snapshots."""

from __future__ import annotations

import json
import secrets
from typing import Any

from pymongo.database import Database

from inspection.domain.canonical import canonical, digest

SEEDS, SNAPSHOTS = "insp_plan_seeds", "insp_snapshots"


class Vault:
    """Seeds never leave this collection before the draw reveals them."""

    def __init__(self, db: Database) -> None:
        self.seeds, self.snapshots = db[SEEDS], db[SNAPSHOTS]

    def seed_for(self, plan_id: str) -> str:
        """The plan's seed, made once (a retried publication reuses it)."""
        self.seeds.update_one({"_id": plan_id},
                              {"$setOnInsert": {"seed": secrets.token_hex(32)}}, upsert=True)
        return self.seed(plan_id) or ""

    def seed(self, plan_id: str) -> str | None:
        doc = self.seeds.find_one({"_id": plan_id})
        return str(doc["seed"]) if doc else None

    def save_snapshot(self, snapshot: dict[str, Any]) -> str:
        """Store the canonical text under its hash (text, so the server cannot reshape it)."""
        key = digest(snapshot)
        self.snapshots.update_one({"_id": key}, {"$setOnInsert": {
            "body": canonical(snapshot).decode("utf-8")}}, upsert=True)
        return key

    def snapshot(self, key: str) -> dict[str, Any] | None:
        doc = self.snapshots.find_one({"_id": key})
        return json.loads(doc["body"]) if doc else None
