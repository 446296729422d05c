"""Idempotency-Key on writes: a retried request gets the first result, not a second effect.

A pending marker is inserted before the view runs (unique ``_id``), so two concurrent copies
of one request cannot both execute; only 2xx results are kept, anything else is forgotten so
the retry runs again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Flask, Response, g, request
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

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


def install(app: Flask, coll_factory) -> None:  # type: ignore[no-untyped-def]
    """coll_factory() returns the service's idempotency collection."""

    @app.before_request
    def _replay_or_reserve() -> Response | None:
        if request.method not in WRITE_METHODS or HEADER not in request.headers:
            return None
        key = request.headers[HEADER]
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            return problem_response(422, "Unprocessable Entity", "Idempotency-Key 长度须为 1–200",
                                    {HEADER: ["length must be 1..200"]})
        coll: Collection = coll_factory()
        kid, fp = _key_id(), _fingerprint()
        try:
            coll.insert_one({"_id": kid, "state": "pending", "fingerprint": fp,
                             "created": datetime.now(UTC)})
        except DuplicateKeyError:
            return _replay(coll.find_one({"_id": kid}) or {}, fp)
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
