"""The projection's pipeline health (issue 13): are its consumers alive, connected and keeping
up with the relays they read? From the platform's own marks (shared.ops), not the broker's.

/readyz fails when the broker cannot be reached or a consumer group is stalled (no heartbeat)
or lagging (a relay has published past it and it applied nothing for
ELDERCARE_MAX_LAG_SECONDS, default 120); /ops/status gives the table behind it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pymongo.database import Database

from projection.projections import PROJECTORS
from shared import kafka, mongo, ops
from shared.config import Settings
from shared.readside.apply import quarantined
from shared.readside.mongo import MongoReadStore

DEFAULT_MAX_LAG = 120.0


def sources_of() -> dict[str, list[str]]:
    """Each consumer group and the services whose topics (eldercare.<svc>.events) it reads."""
    return {p.group: sorted({t.split(".")[1] for t in p.topics}) for p in PROJECTORS}


def _relays(settings: Settings, services: set[str], full: bool) -> dict[str, dict[str, Any]]:
    """Each source service's relay marks, from its own database (same server by default)."""
    client = mongo.client(settings.mongodb_uri)
    out = {}
    for svc in sorted(services):
        db = client[f"{settings.db_prefix}{svc}"]
        out[svc] = ops.relay_status(db) if full else (db[ops.STATUS].find_one(
            {"_id": "relay"}) or {})
    return out


def rows(settings: Settings, db: Database, full: bool = False) -> list[dict[str, Any]]:
    bound = float(settings.extra.get("ELDERCARE_MAX_LAG_SECONDS", DEFAULT_MAX_LAG))
    sources = sources_of()
    relays = _relays(settings, {s for ss in sources.values() for s in ss}, full)
    progress = {d["_id"]: d for d in ops.consumer_progress(db)}
    consumers = [progress.get(group, {"_id": group}) for group in sources]
    return ops.lag_rows(consumers, relays, sources, time.time(), bound)


def readiness(settings: Settings, database: Callable[[], Database]) -> Callable[[], dict]:
    def checks() -> dict[str, bool]:
        db_ok = mongo.reachable(settings)
        out = {"mongodb": db_ok, "kafka": kafka.broker_reachable(settings.kafka_bootstrap)}
        out["consumers"] = db_ok and all(r["state"] == "ok" for r in rows(settings, database()))
        return out
    return checks


def status(settings: Settings, database: Callable[[], Database]) -> Callable[[], dict]:
    def report() -> dict[str, Any]:
        db = database()
        store = MongoReadStore(db)
        sources = sources_of()
        relays = _relays(settings, {s for ss in sources.values() for s in ss}, True)
        return {"relays": relays, "consumers": rows(settings, db),
                "quarantined": {p.name: [{k: d[k] for k in ("stream", "version", "type",
                                                             "reason", "at")}
                                         for d in quarantined(store, p)]
                                for p in PROJECTORS},
                "max_lag_seconds": float(settings.extra.get("ELDERCARE_MAX_LAG_SECONDS",
                                                            DEFAULT_MAX_LAG))}
    return report
