"""Booleans round-trip through the store and come out of every API as JSON booleans.

The embedded MongoDB stand-in (nx-27017) stores a boolean written by a top-level ``$set`` as
0/1 (ADR 0004); inserts, upserts and nested values keep their type. The project reads documents
through response schemas whose boolean fields are ``shared.http.fields.Bool``, so what leaves
an API is a boolean on either server. This suite runs against whichever server the tests use.
"""

from __future__ import annotations

import pytest
from marshmallow import Schema

from shared.http.fields import Bool


class FlagsSchema(Schema):
    yes = Bool()
    no = Bool()
    maybe = Bool(allow_none=True)


WRITES = {
    "insert_one": lambda c: c.insert_one({"_id": 1, "yes": True, "no": False, "maybe": None}),
    "update_one $set": lambda c: (c.insert_one({"_id": 1}), c.update_one(
        {"_id": 1}, {"$set": {"yes": True, "no": False, "maybe": None}})),
    "upsert $set": lambda c: c.update_one(
        {"_id": 1}, {"$set": {"yes": True, "no": False, "maybe": None}}, upsert=True),
    "find_one_and_update": lambda c: (c.insert_one({"_id": 1, "yes": False, "no": True}),
                                      c.find_one_and_update({"_id": 1}, {"$set": {
                                          "yes": True, "no": False, "maybe": None}})),
    "replace_one": lambda c: (c.insert_one({"_id": 1}), c.replace_one(
        {"_id": 1}, {"yes": True, "no": False, "maybe": None})),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_booleans_read_back_through_a_response_schema_are_booleans(mongo_client, unique, write):
    col = mongo_client[f"t_{unique}"]["flags"]
    WRITES[write](col)
    for doc in (col.find_one({"_id": 1}), next(col.aggregate([{"$match": {"_id": 1}}]))):
        assert doc["yes"] == True and doc["no"] == False  # noqa: E712 (0/1 on the stand-in)
        out = FlagsSchema().dump(doc)
        assert out["yes"] is True and out["no"] is False and out["maybe"] is None


def test_inserted_and_nested_booleans_keep_their_type_in_the_store(mongo_client, unique):
    col = mongo_client[f"t_{unique}"]["flags"]
    col.insert_one({"_id": 1, "top": True, "nested": {"flag": False}, "list": [True, False]})
    col.update_one({"_id": 1}, {"$set": {"sub": {"flag": True}, "items": [False]}})
    doc = col.find_one({"_id": 1})
    assert doc["top"] is True and doc["nested"]["flag"] is False
    assert doc["list"] == [True, False] and all(type(v) is bool for v in doc["list"])
    assert doc["sub"]["flag"] is True and doc["items"][0] is False
