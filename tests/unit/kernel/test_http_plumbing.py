"""The kernel's request plumbing the write services share: USCC, problem docs, index set-up."""

from __future__ import annotations

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError
from stdnum.cn import uscc as stdnum_uscc

from shared import uscc
from shared.config import Settings
from shared.http.app import create_app
from shared.http.fields import Uscc
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import path_uscc
from shared.http.schemas import problem_doc

BODY = "91350100M000100Y4"
VALID = BODY + stdnum_uscc.calc_check_digit(BODY)


def test_canonical_upper_cases_and_drops_separators():
    spaced = f"{VALID[:6]} {VALID[6:12]}-{VALID[12:]}".lower()
    assert uscc.canonical(spaced) == VALID


@pytest.mark.parametrize(("raw", "message"), [
    ("1234", uscc.FORMAT_ERROR), ("IO" + VALID[2:], uscc.FORMAT_ERROR),
    (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), uscc.CHECK_ERROR)])
def test_canonical_says_what_is_wrong(raw, message):
    with pytest.raises(uscc.InvalidUscc, match=message):
        uscc.canonical(raw)


class _Body(Schema):
    uscc = Uscc(required=True)


def test_uscc_field_loads_the_canonical_form_and_rejects_non_strings():
    assert _Body().load({"uscc": VALID.lower()}) == {"uscc": VALID}
    with pytest.raises(ValidationError) as exc:
        _Body().load({"uscc": 7})
    assert exc.value.messages == {"uscc": ["Not a valid string."]}


def _app(owner: object) -> tuple:
    blp = Blueprint("things", __name__, url_prefix="/api/v1/things")

    @blp.route("/<code>", methods=["GET"])
    @problem_doc(blp, 422, "统一社会信用代码无效")
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    def get_one(code: str) -> dict[str, str]:
        return {"uscc": path_uscc(code)}

    app = create_app(Settings("kerneltest"), [blp], title="t", indexes=[owner, object()])
    return app, app.test_client()


class _Store:
    calls = 0

    def ensure_indexes(self) -> None:
        self.calls += 1


def test_indexes_are_made_once_on_the_first_api_request_only():
    store = _Store()
    _, client = _app(store)
    assert client.get("/healthz").status_code == 200
    assert store.calls == 0
    assert client.get(f"/api/v1/things/{VALID}").json == {"uscc": VALID}
    client.get(f"/api/v1/things/{VALID}")
    assert store.calls == 1


def test_a_bad_path_uscc_is_a_422_problem_documented_with_the_shared_schema():
    app, client = _app(_Store())
    r = client.get("/api/v1/things/1234")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["errors"] == {"uscc": [uscc.FORMAT_ERROR]}
    op = app.extensions["api"].spec.to_dict()["paths"]["/api/v1/things/{code}"]["get"]
    assert op["responses"]["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}
    assert IDEMPOTENCY_KEY in op["parameters"]
