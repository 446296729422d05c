"""MongoDB collections of the identity service besides its event store.

credentials: the argon2 hash per login (never in events, responses or logs).
sessions: server-side sign-in sessions, keyed by the SHA-256 of the cookie value, each with
its CSRF token; anonymous ones carry the sign-in form's token.
codes: authorization codes, single use (find_one_and_delete).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from pymongo.database import Database

from identity.domain.ports import Session


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Credentials:
    def __init__(self, db: Database[Any]) -> None:
        self.col = db["credentials"]

    def put(self, login: str, hashed: str) -> None:
        self.col.update_one({"_id": login}, {"$set": {"hash": hashed}}, upsert=True)

    def get(self, login: str) -> str | None:
        doc = self.col.find_one({"_id": login})
        return None if doc is None else str(doc["hash"])


class Sessions:
    def __init__(self, db: Database[Any], idle: int, maximum: int) -> None:
        self.col, self.idle, self.maximum = db["sessions"], idle, maximum

    def ensure_indexes(self) -> None:
        self.col.create_index("login")

    def open(self, now: datetime, login: str | None = None) -> Session:
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        t = now.timestamp()  # epoch seconds: the stand-in server garbles $set datetimes
        self.col.insert_one({"_id": _digest(sid), "csrf": csrf, "login": login,
                             "auth_time": t if login else None, "created": t, "seen": t})
        return Session(sid, csrf, login, now if login else None)

    def get(self, sid: str | None, now: datetime) -> Session | None:
        if not sid or len(sid) > 128:
            return None
        doc = self.col.find_one({"_id": _digest(sid)})
        if doc is None:
            return None
        t = now.timestamp()
        limit = self.maximum if doc.get("login") else self.idle
        if t - float(doc["seen"]) > self.idle or t - float(doc["created"]) > limit:
            self.col.delete_one({"_id": doc["_id"]})
            return None
        if t - float(doc["seen"]) > 60:
            self.col.update_one({"_id": doc["_id"]}, {"$set": {"seen": t}})
        auth = doc.get("auth_time")
        return Session(sid, str(doc["csrf"]), doc.get("login"),
                       datetime.fromtimestamp(float(auth), now.tzinfo) if auth else None)

    def close(self, sid: str) -> None:
        self.col.delete_one({"_id": _digest(sid)})

    def close_all(self, login: str) -> None:
        self.col.delete_many({"login": login})


class Codes:
    def __init__(self, db: Database[Any]) -> None:
        self.col = db["codes"]

    def save(self, code: str, data: dict[str, Any]) -> None:
        self.col.insert_one({"_id": _digest(code), **data})

    def find(self, code: str) -> dict[str, Any] | None:
        return self.col.find_one({"_id": _digest(code)})

    def take(self, code: str) -> dict[str, Any] | None:
        """The code's data, removed so it can never be exchanged twice."""
        return self.col.find_one_and_delete({"_id": _digest(code)})

    def nonce_used(self, client_id: str, nonce: str) -> bool:
        return self.col.find_one({"client_id": client_id, "nonce": nonce}) is not None
