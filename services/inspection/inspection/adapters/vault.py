"""Secret seeds (kept out of events until the draw), snapshots (public only once drawn) and
the sealed conflicts' openings (only the drawn objects' are ever revealed)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

from pymongo.database import Database

from inspection.domain.canonical import canonical, commitment, digest

SEEDS, SNAPSHOTS = "insp_plan_seeds", "insp_snapshots"
SALT_KEYS, OPENINGS = "insp_plan_salt_keys", "insp_snapshot_openings"


class MongoVault:
    """Seeds never leave this collection before the draw reveals them."""

    def __init__(self, db: Database) -> None:
        self.seeds, self.snapshots = db[SEEDS], db[SNAPSHOTS]
        self.salt_keys, self.openings_ = db[SALT_KEYS], db[OPENINGS]

    def new_secret(self, plan_id: str) -> str:
        """A fresh secret for a publication, stored under its commitment before the
        publication is appended (a retried publication makes another; only the one whose
        commitment was published is ever used)."""
        secret = secrets.token_hex(32)
        self.seeds.insert_one({"_id": f"c:{commitment(secret)}", "plan_id": plan_id,
                               "secret": secret})
        return secret

    def secret(self, commitment_: str) -> str | None:
        doc = self.seeds.find_one({"_id": f"c:{commitment_}"})
        if doc is None or commitment(str(doc["secret"])) != commitment_:
            return None
        return str(doc["secret"])

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

    def salts_for(self, plan_id: str) -> Callable[[str], str]:
        """Per-object salts of the plan's conflict tags: HMAC-SHA256(secret key, uscc), first
        32 hex characters. The key is made once and never revealed, so a revealed salt says
        nothing about the others, and a retried publication rebuilds the same tags."""
        self.salt_keys.update_one({"_id": plan_id},
                                  {"$setOnInsert": {"key": secrets.token_hex(32)}}, upsert=True)
        doc = self.salt_keys.find_one({"_id": plan_id}) or {}
        key = str(doc["key"]).encode("utf-8")

        def salt(uscc: str) -> str:
            return hmac.new(key, uscc.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

        return salt

    def save_openings(self, snapshot_hash: str, openings: dict[str, dict[str, Any]]) -> None:
        """The openings of a snapshot's conflict tags (secret; the draw reveals the drawn)."""
        self.openings_.update_one({"_id": snapshot_hash}, {"$setOnInsert": {
            "body": canonical(openings).decode("utf-8")}}, upsert=True)

    def openings(self, snapshot_hash: str) -> dict[str, dict[str, Any]]:
        doc = self.openings_.find_one({"_id": snapshot_hash})
        return json.loads(doc["body"]) if doc else {}
