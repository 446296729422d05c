"""Idempotency-Key on writes: a retried request gets the first result, not a second effect.

A pending marker is inserted before the view runs (unique ``_id``), so two concurrent copies
of one request cannot both execute; only 2xx results are kept, anything else is forgotten so
the retry runs again.

Lifetimes: a kept result answers retries for ELDERCARE_IDEMPOTENCY_TTL_HOURS (default 24;
a TTL index removes it later, and an older one is never replayed). A pending marker names the
process serving it (host, pid and the pid's start time); when a retry of the same request
finds that process gone on the same host, or the marker older than
ELDERCARE_IDEMPOTENCY_PENDING_SECONDS (default 60, twice gunicorn's request timeout: another
host's process that died), it takes the marker over (the write itself is safe to run again:
every command is idempotent in its domain).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared.http.auth import bearer_token, verifier
from shared.http.problems import problem_response
from shared.oidc import InvalidToken

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
IDEMPOTENCY_KEY = {  # the OpenAPI header parameter of every write view
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "重试安全：相同的键与请求体返回第一次的结果",
}


def _caller() -> str:
    """The caller as user and role, so a retry with a freshly minted token still matches."""
    header = request.headers.get("Authorization", "")
    token = bearer_token()
    try:
        if token is not None:
            p = verifier().authority(token)
            return f"{p.sub}|{p.department}"
    except InvalidToken:
        pass
    return f"raw|{header}"


def _key_id() -> str:
    raw = "|".join([_caller(), request.method, request.path, request.headers[HEADER]])
    return hashlib.sha256(raw.encode()).hexdigest()


def _fingerprint() -> str:
    return hashlib.sha256(request.get_data(cache=True)).hexdigest()


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lifetimes:
    kept: timedelta = timedelta(hours=24)  # a result answers retries this long
    pending: timedelta = timedelta(seconds=60)  # a marker older than this was left by a crash

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Lifetimes:
        return cls(timedelta(hours=float(env.get("ELDERCARE_IDEMPOTENCY_TTL_HOURS", "24"))),
                   timedelta(seconds=float(
                       env.get("ELDERCARE_IDEMPOTENCY_PENDING_SECONDS", "60"))))


def _start_ticks(pid: int) -> str | None:
    """When the process started (field 22 of /proc/<pid>/stat), None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


HOST = socket.gethostname()


def _me() -> dict[str, Any]:
    """This process, as a marker names it (after a fork, the worker's own pid)."""
    pid = os.getpid()
    return {"host": HOST, "pid": pid, "pid_start": _start_ticks(pid)}


def _serving_process_gone(doc: dict) -> bool:
    """The marker's process on this host has ended (a pid reused since does not count)."""
    if doc.get("host") != HOST or not doc.get("pid"):
        return False
    if not Path("/proc").is_dir():
        return False  # no way to tell here: the marker's age decides
    return _start_ticks(int(doc["pid"])) != doc.get("pid_start")


def _aware(moment: datetime | str | None) -> datetime:
    """A stored time as aware UTC (the MongoDB stand-in gives back a time set by an update
    as ISO text; an unreadable one counts as long ago)."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            moment = None
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def install(app: Flask, coll_factory, lifetimes: Lifetimes | None = None) -> None:  # type: ignore[no-untyped-def]
    """coll_factory() returns the service's idempotency collection."""
    life = lifetimes or Lifetimes()
    indexed = threading.Event()

    def ttl_index(coll: Collection) -> None:
        if indexed.is_set():
            return
        indexed.set()
        try:
            coll.create_index("created", expireAfterSeconds=int(life.kept.total_seconds()))
        except PyMongoError as exc:  # another lifetime configured before: keep serving
            log.warning("idempotency TTL index not changed: %s", exc)

    def take_over(coll: Collection, doc: dict, fp: str, now: datetime) -> bool:
        """Replace an expired result or a crashed request's marker, unless another retry
        did so first (the marker's owner changes with each take-over)."""
        done = doc.get("state") == "done"
        age = now - _aware(doc.get("created"))
        crashed = not done and doc.get("fingerprint") == fp and (
            age > life.pending or _serving_process_gone(doc))
        if not ((done and age > life.kept) or crashed):
            return False
        taken = coll.update_one({"_id": doc["_id"], "owner": doc.get("owner")}, {"$set": {
            "state": "pending", "fingerprint": fp, "created": now, "owner": uuid.uuid4().hex,
            **_me()},
            "$unset": {"status": "", "body": "", "mimetype": "", "location": ""}})
        if taken.modified_count == 1 and not done:
            log.warning("idempotency key %s: took over the marker of a request that did not "
                        "finish (%.0f s old)", doc["_id"][:12], age.total_seconds())
        return taken.modified_count == 1

    @app.before_request
    def _replay_or_reserve() -> Response | None:
        if request.method not in WRITE_METHODS or HEADER not in request.headers:
            return None
        key = request.headers[HEADER]
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            return problem_response(422, "Unprocessable Entity", "Idempotency-Key 长度须为 1–200",
                                    {HEADER: ["length must be 1..200"]})
        coll: Collection = coll_factory()
        ttl_index(coll)
        kid, fp, now = _key_id(), _fingerprint(), datetime.now(UTC)
        for _ in range(2):
            try:
                coll.insert_one({"_id": kid, "state": "pending", "fingerprint": fp,
                                 "created": now, "owner": uuid.uuid4().hex, **_me()})
                break
            except DuplicateKeyError:
                doc = coll.find_one({"_id": kid})
                if doc is None:  # expired under the TTL index, not yet removed: remove it
                    coll.delete_one({"_id": kid})
                    continue
                if take_over(coll, doc, fp, now):
                    break
                return _replay(doc, fp)
        else:
            return _replay({"fingerprint": fp}, fp)  # still there: busy, retry later
        g.idempotency_key = kid
        return None

    @app.after_request
    def _remember(resp: Response) -> Response:
        kid = g.pop("idempotency_key", None)
        if kid is None:
            return resp
        coll = coll_factory()
        if 200 <= resp.status_code < 300:
            coll.update_one({"_id": kid}, {"$set": {
                "state": "done", "status": resp.status_code, "body": resp.get_data(),
                "mimetype": resp.mimetype, "location": resp.headers.get("Location", "")}})
        else:
            coll.delete_one({"_id": kid})
        return resp

    @app.teardown_request
    def _release(exc: BaseException | None) -> None:
        kid = g.pop("idempotency_key", None)
        if kid is not None:
            coll_factory().delete_one({"_id": kid})


def _replay(doc: dict, fingerprint: str) -> Response:
    if doc.get("fingerprint") != fingerprint:
        return problem_response(422, "Unprocessable Entity",
                                "同一 Idempotency-Key 已用于内容不同的请求",
                                {HEADER: ["reused with a different request body"]})
    if doc.get("state") != "done":
        return problem_response(409, "Conflict",
                                "同一 Idempotency-Key 的请求仍在处理中，请稍后重试")
    resp = Response(doc["body"], status=doc["status"], mimetype=doc.get("mimetype"))
    if doc.get("location"):
        resp.headers["Location"] = doc["location"]
    resp.headers["Idempotent-Replayed"] = "true"
    return resp
