"""Keep a feature's consumer away while that feature rebuilds its read model in place.

Feature rebuilds drop their collections and replay their inbox. A consumer applying a new
event in the middle would set a stream's version ahead of the replay, and the replay would
then skip that stream's earlier events. So a rebuild raises a flag and waits longer than any
apply takes; meanwhile the feature's handler stores nothing and asks to be retried
(RetryLater: the consumer seeks back, nothing is lost). A flag left by a killed rebuild
expires after STALE.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from pymongo.database import Database

from projection.features import Handler
from shared.consumer import RetryLater
from shared.envelope import Envelope

META = "proj_meta"
SETTLE = 2.5  # seconds: longer than one event's inbox write + apply
STALE = timedelta(hours=1)


def _key(feature: str) -> str:
    return f"rebuilding:{feature}"


def is_rebuilding(db: Database, feature: str) -> bool:
    doc = db[META].find_one({"_id": _key(feature)})
    if doc is None:
        return False
    since = datetime.fromisoformat(doc["since"])
    return datetime.now(UTC) - since < STALE


def guarded(db: Database, feature: str, handler: Handler) -> Handler:
    """The feature's handler, paused (retried later) while the feature rebuilds."""

    def handle(env: Envelope) -> None:
        if is_rebuilding(db, feature):
            raise RetryLater(f"{feature} read model is being rebuilt")
        handler(env)

    return handle


@contextmanager
def rebuilding(db: Database, feature: str, settle: float = SETTLE) -> Iterator[None]:
    """Raise the flag, let in-flight applies finish, rebuild, lower the flag."""
    db[META].update_one({"_id": _key(feature)},
                        {"$set": {"since": datetime.now(UTC).isoformat()}}, upsert=True)
    time.sleep(settle)
    try:
        yield
    finally:
        db[META].delete_one({"_id": _key(feature)})
