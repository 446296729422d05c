"""pymongo client construction (one client per process)."""

from __future__ import annotations

from functools import lru_cache

from pymongo import MongoClient
from pymongo.database import Database

from shared.config import Settings


@lru_cache(maxsize=8)
def client(uri: str) -> MongoClient:
    return MongoClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True, connect=False)


def database(settings: Settings) -> Database:
    return client(settings.mongodb_uri)[settings.database]


def reachable(settings: Settings) -> bool:
    try:
        client(settings.mongodb_uri).admin.command("ping")
        return True
    except Exception:  # noqa: BLE001
        return False
