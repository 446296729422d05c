"""The app factory's conventions: problem+json, auth, Idempotency-Key, ops endpoints."""

from __future__ import annotations

import itertools

import marshmallow as ma
import pytest
from flask_smorest import Blueprint

from shared.config import Settings
from shared.domain import InvalidCommand, NotFound
from shared.http.app import create_app
from shared.http.auth import roles_required
from shared.http.problems import Problem
from tests.signer import mint

counter = itertools.count(1)


class ThingIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    beds = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))


def _blueprint() -> Blueprint:
    blp = Blueprint("things", __name__, url_prefix="/api/v1/things")

    @blp.route("", methods=["POST"])
    @roles_required("civil_affairs")
    @blp.arguments(ThingIn)
    @blp.response(201)
    def create(body):  # type: ignore[no-untyped-def]
        if body["name"] == "boom":
            raise Problem(409, "Conflict", "already there")
        if body["name"] == "ghost":
            raise NotFound("没有这个机构")
        if body["name"] == "rule":
            raise InvalidCommand({"beds": ["护理床位数不能超过床位数"]})
        return {"n": next(counter), **body}

    return blp


@pytest.fixture()
def client(infra, unique):
    settings = Settings("kerneltest", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                        db_prefix=f"t_{unique}_")
    app = create_app(settings, [_blueprint()], title="t")
    app.config["TESTING"] = True
    return app.test_client()


def auth(role: str = "civil_affairs") -> dict[str, str]:
    return {"Authorization": f"Bearer {mint('u', role)}"}


def test_missing_token_is_401_problem(client):
    r = client.post("/api/v1/things", json={"name": "a", "beds": 1})
    assert r.status_code == 401 and r.mimetype == "application/problem+json"
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_role_is_403_problem(client):
    r = client.post("/api/v1/things", json={"name": "a", "beds": 1}, headers=auth("health"))
    assert r.status_code == 403 and r.json["status"] == 403


def test_invalid_body_is_422_with_field_errors(client):
    r = client.post("/api/v1/things", json={"name": "", "beds": -1}, headers=auth())
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert set(r.json["errors"]) == {"name", "beds"}


def test_malformed_json_is_a_problem_not_a_500(client):
    r = client.post("/api/v1/things", data="{oops", headers={**auth(),
                                                              "Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.mimetype == "application/problem+json"


def test_retry_with_same_idempotency_key_returns_first_result(client):
    h = {**auth(), "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/things", json={"name": "a", "beds": 1}, headers=h)
    again = client.post("/api/v1/things", json={"name": "a", "beds": 1}, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


def test_same_key_with_different_body_is_rejected(client):
    h = {**auth(), "Idempotency-Key": "k-2"}
    client.post("/api/v1/things", json={"name": "a", "beds": 1}, headers=h)
    r = client.post("/api/v1/things", json={"name": "b", "beds": 1}, headers=h)
    assert r.status_code == 422 and "Idempotency-Key" in r.json["errors"]


def test_failed_request_is_not_remembered_so_the_retry_runs(client):
    h = {**auth(), "Idempotency-Key": "k-3"}
    assert client.post("/api/v1/things", json={"name": "boom", "beds": 1},
                       headers=h).status_code == 409
    assert client.post("/api/v1/things", json={"name": "boom", "beds": 1},
                       headers=h).status_code == 409  # ran again, not replayed


def test_ops_endpoints(client):
    assert client.get("/healthz").json["status"] == "ok"
    assert client.get("/readyz").status_code == 200
    client.get("/healthz")
    assert b"http_requests_total" in client.get("/metrics").data
    assert client.get("/nope").mimetype == "application/problem+json"


def test_domain_refusals_become_problems(client):
    r = client.post("/api/v1/things", json={"name": "ghost", "beds": 1}, headers=auth())
    assert r.status_code == 404 and r.json["detail"] == "没有这个机构"
    r = client.post("/api/v1/things", json={"name": "rule", "beds": 1}, headers=auth())
    assert r.status_code == 422 and r.json["errors"] == {"beds": ["护理床位数不能超过床位数"]}
