"""Limits of every web process: bodies capped before anything reads them (413 problem+json,
at the limit accepted, one byte past refused), idempotency records that expire and a marker
left by a crashed request that the next retry takes over, security headers, and on the
public site per-client rates and no /metrics."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, request
from flask_smorest import Blueprint

from shared import mongo
from shared.config import Settings
from shared.http.app import create_app
from shared.http.limits import BodyLimit
from shared.http.problems import PROBLEM
from tests.signer import mint

LIMIT = 2000
read_by_view: list[int] = []


def _blueprint() -> Blueprint:
    blp = Blueprint("echo", __name__, url_prefix="/api/v1/echo")

    @blp.route("", methods=["POST"])
    def echo():  # type: ignore[no-untyped-def]
        read_by_view.append(len(request.get_data()))
        return {"n": len(read_by_view)}, 201

    return blp


def _settings(infra, unique, **extra: str) -> Settings:
    return Settings("limitstest", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                    db_prefix=f"t_{unique}_", extra=dict(extra))


@pytest.fixture()
def app(infra, unique) -> Flask:
    made = create_app(_settings(infra, unique, ELDERCARE_MAX_BODY_BYTES=str(LIMIT),
                                ELDERCARE_IDEMPOTENCY_PENDING_SECONDS="60",
                                ELDERCARE_IDEMPOTENCY_TTL_HOURS="1"),
                      [_blueprint()], title="t")
    made.config["TESTING"] = True
    read_by_view.clear()
    return made


def _post(app: Flask, size: int, key: str = "", chunked: bool = False):
    headers = {"Authorization": f"Bearer {mint('u', 'civil_affairs')}",
               "Content-Type": "application/octet-stream"}
    if key:
        headers["Idempotency-Key"] = key
    if chunked:
        return app.test_client().post("/api/v1/echo", input_stream=io.BytesIO(b"x" * size),
                                      headers={**headers, "Transfer-Encoding": "chunked"})
    return app.test_client().post("/api/v1/echo", data=b"x" * size, headers=headers)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_at_the_limit_is_served_and_one_byte_more_is_refused_unread(app, chunked):
    assert _post(app, LIMIT, chunked=chunked).status_code == 201
    assert read_by_view == [LIMIT]
    r = _post(app, LIMIT + 1, key="k-too-large", chunked=chunked)
    assert r.status_code == 413 and r.mimetype == PROBLEM
    assert r.json["limit"] == LIMIT and r.headers["Connection"] == "close"
    assert read_by_view == [LIMIT]  # the view never ran
    # nothing was reserved for its Idempotency-Key: the hooks never ran either
    db = mongo.database(app.extensions["settings"])
    assert db["http_idempotency"].count_documents({}) == 0


def test_the_middleware_reads_nothing_of_a_declared_oversize_body():
    class Unreadable(io.RawIOBase):
        def read(self, *_: object) -> bytes:
            raise AssertionError("the body was read")

    seen = []
    limited = BodyLimit(lambda env, start: seen.append(env) or [b""], 10)
    out = limited({"CONTENT_LENGTH": "11", "wsgi.input": Unreadable(), "PATH_INFO": "/x"},
                  lambda status, headers: seen.append(status))
    assert seen == ["413 Content Too Large"] and b"413" in b"".join(out)


def test_a_marker_left_by_a_crashed_request_is_taken_over_by_its_retry(app):
    """The worker died after reserving the key (kill -9 mid-request): while the marker is
    young a retry is told to wait (409); once older than the pending lifetime the retry
    runs, once, and later retries replay its result."""
    coll = mongo.database(app.extensions["settings"])["http_idempotency"]
    assert _post(app, 10, key="crash-1").status_code == 201
    doc = coll.find_one({})
    coll.update_one({"_id": doc["_id"]}, {"$set": {"state": "pending"},
                                          "$unset": {"body": "", "status": ""}})
    assert _post(app, 10, key="crash-1").status_code == 409  # young: maybe still running
    coll.update_one({"_id": doc["_id"]}, {"$set": {
        "created": datetime.now(UTC) - timedelta(seconds=61)}})
    again = _post(app, 10, key="crash-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    replay = _post(app, 10, key="crash-1")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json == again.json
    assert len(read_by_view) == 2  # the crashed run and the one retry that took over
    # a different body never takes over someone else's marker
    coll.update_one({"_id": doc["_id"]}, {"$set": {
        "state": "pending", "created": datetime.now(UTC) - timedelta(seconds=61)}})
    assert _post(app, 11, key="crash-1").status_code == 422


def test_a_marker_whose_process_died_on_this_host_is_taken_over_at_once(app):
    """The marker names the process serving it: once that process is gone (kill -9 of a
    web worker), the retry runs at once instead of waiting out the pending lifetime; a
    marker of a live process (or of another host) still answers 409 while young."""
    import subprocess
    import sys

    from shared.http import idempotency

    coll = mongo.database(app.extensions["settings"])["http_idempotency"]
    assert _post(app, 10, key="dead-1").status_code == 201
    doc = coll.find_one({})
    # a live process until killed: it waits for input that never comes
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    started = idempotency._start_ticks(child.pid)
    coll.update_one({"_id": doc["_id"]}, {"$set": {
        "state": "pending", "pid": child.pid, "pid_start": started,
        "created": datetime.now(UTC)}, "$unset": {"body": "", "status": ""}})
    assert _post(app, 10, key="dead-1").status_code == 409  # its process still runs
    coll.update_one({"_id": doc["_id"]}, {"$set": {"host": "another-host"}})
    child.kill()
    child.wait()
    child.stdin.close()
    assert _post(app, 10, key="dead-1").status_code == 409  # another host: age decides
    coll.update_one({"_id": doc["_id"]}, {"$set": {"host": idempotency.HOST}})
    again = _post(app, 10, key="dead-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert len(read_by_view) == 2


def test_a_kept_result_expires_and_the_key_then_acts_anew(app):
    coll = mongo.database(app.extensions["settings"])["http_idempotency"]
    first = _post(app, 10, key="old-1")
    assert _post(app, 10, key="old-1").headers.get("Idempotent-Replayed") == "true"
    coll.update_many({}, {"$set": {"created": datetime.now(UTC) - timedelta(minutes=59)}})
    assert _post(app, 10, key="old-1").json == first.json  # within the hour: replayed
    coll.update_many({}, {"$set": {"created": datetime.now(UTC) - timedelta(minutes=61)}})
    fresh = _post(app, 10, key="old-1")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert fresh.json != first.json


def test_every_answer_carries_the_security_headers(app):
    for r in (app.test_client().get("/healthz"), _post(app, LIMIT + 1), _post(app, 1)):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"]


def test_the_public_site_limits_each_clients_rate_and_serves_no_metrics(infra, unique):
    public = create_app(_settings(infra, unique, ELDERCARE_PUBLIC_RATE_LIMIT="5 per minute"),
                        [_blueprint()], title="t", public=True)
    c = public.test_client()
    assert c.get("/metrics").status_code == 404
    answers = [c.get("/api/v1/openapi.json", environ_base={"REMOTE_ADDR": "10.0.0.1"})
               for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[-1].mimetype == PROBLEM and int(answers[-1].headers["Retry-After"]) > 0
    other = c.get("/api/v1/openapi.json", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200  # per client
    assert all(c.get("/healthz", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
               for _ in range(3))  # probes are never limited
    internal = create_app(_settings(infra, unique), [_blueprint()], title="t")
    assert internal.test_client().get("/metrics").status_code == 200


@pytest.mark.parametrize("hops", [0, 1, 2])
def test_behind_proxies_rates_are_per_forwarded_client_only_as_far_as_trusted(infra, unique,
                                                                            hops):
    """ELDERCARE_TRUST_PROXY=n (compose: the load balancer, then the gateway, then the web
    replica): the client is the n-th last X-Forwarded-For entry; entries before it are the
    client's own claims and never count (else a client could name a fresh address per
    request and never be limited); with 0 the header is ignored."""
    extra = {"ELDERCARE_PUBLIC_RATE_LIMIT": "2 per minute", "ELDERCARE_TRUST_PROXY": str(hops)}
    c = create_app(_settings(infra, unique, **extra), [_blueprint()], title="t",
                   public=True).test_client()

    def get(claimed: str, client: str) -> int:
        # claimed (by the client itself), client (added by the load balancer), balancer
        # (added by the gateway); the gateway's own address is REMOTE_ADDR
        return c.get("/api/v1/openapi.json", environ_base={"REMOTE_ADDR": "172.28.0.2"},
                     headers={"X-Forwarded-For": f"{claimed}, {client}, 10.9.9.9"}).status_code

    assert [get("1.1.1.1", "10.1.1.1") for _ in range(3)] == [200, 200, 429]
    # a new claimed address never helps; a new real client is served only when 2 hops are
    # trusted (with 1 every client looks like the balancer, with 0 like the gateway)
    assert get("1.1.1.2", "10.1.1.1") == 429
    assert get("1.1.1.1", "10.1.1.2") == (200 if hops == 2 else 429)


def test_the_projections_public_site_is_the_limited_one(infra, unique):
    """The public site of the platform (projection) is built public: its configured rate is
    enforced on pages and its port serves no /metrics."""
    from projection.bootstrap import create_app as public_site

    site = public_site(Settings(service="projection", mongodb_uri=infra.mongo_uri,
                                kafka_bootstrap=infra.kafka, db_prefix=f"tl_{unique}_",
                                extra={"ELDERCARE_PUBLIC_RATE_LIMIT": "3 per minute"}))
    c = site.test_client()
    assert c.get("/metrics").status_code == 404
    codes = [c.get("/api/v1/openapi.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
