"""The platform's own progress marks, for health checks and the status page (issue 13).

Each active relay records, in its service's database (``ops_status``), the position of the
last commit it marked published and when; each projection consumer records, in the
projection's database, the newest position it applied per source service, when it last
applied a batch, when it last looked (a heartbeat, also while idle) and when it last failed
to reach the broker. Lag is measured on these positions (time-based, nanoseconds of the
event store's clock), never on broker watermarks (the embedded broker's are wrong).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.database import Database

from shared.eventstore import COMMITS, PARKED
from shared.lease import COLLECTION as LEASES

STATUS = "ops_status"  # in each write service's database: {_id: "relay", ...}
PROGRESS = "ops_progress"  # in the projection's database: {_id: group, ...}
BACKLOG_CAP = 1000  # counting more unpublished commits than this is not worth its cost


def record_relay(db: Database, service: str, position: int | None, holder: str) -> None:
    """The active relay marked a batch (``position``) or is idle and alive (None)."""
    now = time.time()
    fields: dict[str, Any] = {"service": service, "holder": holder, "seen_at": now}
    if position is not None:
        fields |= {"position": position, "marked_at": now}
    db[STATUS].update_one({"_id": "relay"}, {"$set": fields}, upsert=True)


def relay_status(db: Database) -> dict[str, Any]:
    """The relay's marks, its backlog (capped), the parked commits and the lease holder."""
    doc = db[STATUS].find_one({"_id": "relay"}) or {}
    backlog = len(list(db[COMMITS].find({"published": False}, {"_id": 1}).limit(BACKLOG_CAP)))
    lease = db[LEASES].find_one({"_id": f"{doc.get('service', '')}.relay"}) or {}
    return {"service": doc.get("service", ""), "position": int(doc.get("position", 0)),
            "marked_at": doc.get("marked_at"), "seen_at": doc.get("seen_at"),
            "backlog": backlog, "backlog_capped": backlog >= BACKLOG_CAP,
            "parked": [{"commit": p["_id"], "reason": p.get("reason", "")}
                       for p in db[PARKED].find({})],
            "holder": lease.get("holder", ""), "lease_expires": lease.get("expires")}


def record_consumer(db: Database, group: str, positions: Mapping[str, int], applied: bool,
                    broker_error: str | None = None, quarantined: int | None = None) -> None:
    """A consumer's heartbeat; with ``applied`` it also applied a batch just now."""
    now = time.time()
    fields: dict[str, Any] = {"seen_at": now}
    if applied:
        fields["applied_at"] = now
    if broker_error:
        fields |= {"broker_error": broker_error[:300], "broker_error_at": now}
    if quarantined is not None:
        fields["quarantined"] = quarantined
    if positions:  # read, then set: the MongoDB stand-in has no $max on dotted paths
        old = (db[PROGRESS].find_one({"_id": group}, {"positions": 1}) or {}).get(
            "positions") or {}
        fields["positions"] = {**old, **{source_key(s): max(int(p), int(old.get(
            source_key(s), 0))) for s, p in positions.items()}}
    db[PROGRESS].update_one({"_id": group}, {"$set": fields}, upsert=True)


def source_key(source: str) -> str:
    """A CloudEvents source (/eldercare/registry) as a field name (registry)."""
    return source.rstrip("/").rsplit("/", 1)[-1]


def consumer_progress(db: Database) -> list[dict[str, Any]]:
    return list(db[PROGRESS].find({}).sort("_id", 1))


def lag_rows(consumers: Iterable[Mapping[str, Any]], relays: Mapping[str, Mapping[str, Any]],
             sources_of: Mapping[str, Iterable[str]], now: float, bound: float
             ) -> list[dict[str, Any]]:
    """Per consumer group and source service: how far behind the relay it is (seconds of
    event time), when it last made progress, and whether that is a problem.

    A group is lagging on a source when the relay has published past the group's position
    and the group has not applied anything for ``bound`` seconds; stalled when it has not
    even looked for ``bound`` seconds (the process is dead or hung)."""
    rows = []
    for c in consumers:
        group = str(c["_id"])
        seen = float(c.get("seen_at") or 0)
        applied = float(c.get("applied_at") or 0)
        for source in sources_of.get(group, ()):
            relay = relays.get(source) or {}
            head = int(relay.get("position") or 0)
            mine = int((c.get("positions") or {}).get(source, 0))
            behind = max(0.0, (head - mine) / 1e9)
            state = "ok"
            if now - seen > bound:
                state = "stalled"
            elif head > mine and now - applied > bound:
                state = "lagging"
            rows.append({"group": group, "source": source, "behind_seconds": round(behind, 1),
                         "relay_position": head, "position": mine,
                         "applied_at": applied or None, "seen_at": seen or None,
                         "broker_error": c.get("broker_error") if float(
                             c.get("broker_error_at") or 0) > applied else None,
                         "state": state})
    return rows
