"""Text that UTF-8 cannot carry never reaches a store, and the event size check is exact.

JSON may escape one half of a UTF-16 surrogate pair ("\\ud800"); Python parses it into a str
that neither BSON nor Kafka's UTF-8 value can encode. Every web process refuses such a body
with 422 naming the fields; every other body passes the check untouched.
"""

from __future__ import annotations

import json

from flask_smorest import Blueprint
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.config import Settings
from shared.envelope import Envelope
from shared.eventstore import MAX_EVENT_BYTES, _encoded_size
from shared.http.app import create_app
from shared.http.limits import lone_surrogate_paths


def _client():
    blp = Blueprint("echo", __name__, url_prefix="/api/v1/echo")

    @blp.route("", methods=["POST"])
    def echo() -> dict:
        from flask import request
        return {"got": request.get_json()}

    return create_app(Settings("kerneltest"), [blp], title="t").test_client()


ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=12)  # surrogates included
DOCS = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)


def _encodable(doc) -> bool:
    try:
        json.dumps(doc, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(DOCS)
def test_a_body_is_refused_exactly_when_some_text_in_it_cannot_be_encoded(doc):
    client = _client()
    r = client.post("/api/v1/echo", data=json.dumps(doc), content_type="application/json")
    if _encodable(doc):
        assert r.status_code == 200 and r.json == {"got": doc}
    else:
        assert r.status_code == 422 and r.mimetype == "application/problem+json"
        assert r.json["errors"] and set(r.json["errors"]) == set(lone_surrogate_paths(doc))


def test_the_refusal_names_the_field_and_the_list_item():
    body = '{"name": "康乐\\ud800", "beds": 3, "rooms": ["ok", "\\udc00"], "\\ud83d\\ude00": "好"}'
    r = _client().post("/api/v1/echo", data=body, content_type="application/json")
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"name", "rooms.1"}


def test_a_paired_surrogate_escape_and_an_escaped_backslash_pass():
    for body in ('{"name": "\\ud83d\\ude00"}', '{"name": "\\\\ud800"}'):
        r = _client().post("/api/v1/echo", data=body, content_type="application/json")
        assert r.status_code == 200, body


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8),
                       st.text(max_size=40) | st.integers() | st.none() | st.booleans(),
                       max_size=8))
def test_the_size_check_equals_the_published_value_length(data):
    env = Envelope("i", "/s", "t", "s", None, data, 1)  # type: ignore[arg-type]
    try:
        exact = len(env.value())
    except UnicodeEncodeError:
        return  # refused at the HTTP edge (above); a store would refuse it too
    assert _encoded_size(data) >= exact
    assert _encoded_size(data) == exact or _encoded_size(data) <= MAX_EVENT_BYTES


def test_near_the_limit_the_size_is_exact():
    body = "养" * ((MAX_EVENT_BYTES // 3) - 4)  # 3 UTF-8 bytes each, 6 when escaped
    data = {"t": body}
    exact = len(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    assert exact <= MAX_EVENT_BYTES < len(json.dumps(data))
    assert _encoded_size(data) == exact
    assert _encoded_size({"t": body + "养" * 3}) > MAX_EVENT_BYTES
