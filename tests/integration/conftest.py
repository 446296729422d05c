from __future__ import annotations

import pytest
from pymongo import MongoClient

from shared.eventstore import MongoEventStore


@pytest.fixture()
def mongo_client(infra):
    c = MongoClient(infra.mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
    yield c
    c.close()


@pytest.fixture()
def mongo_store(mongo_client, unique):
    db = mongo_client[f"t_{unique}"]
    store = MongoEventStore(db, "kerneltest")
    store.ensure_indexes()
    return store
