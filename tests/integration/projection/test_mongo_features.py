"""Conformance of the MongoDB features the projection relies on (stand-in and real server)."""

from __future__ import annotations

import re


def test_add_to_set_appends_sub_documents_in_order_and_keeps_them_documents(db):
    coll = db["conf_history"]
    for n in range(1, 4):
        coll.update_one({"_id": "a", "_v": {"$lt": n}},
                        {"$set": {"_v": n, "flag": n % 2 == 1},
                         "$addToSet": {"history": {"version": n, "time": "2026-01-01T00:00:00Z"}}},
                        upsert=n == 1)
    doc = coll.find_one({"_id": "a"})
    assert [h["version"] for h in doc["history"]] == [1, 2, 3]
    assert all(isinstance(h, dict) for h in doc["history"])
    assert bool(doc["flag"]) is True  # nx-27017 may store it as 1 after a $set on an update


def test_string_regex_with_options_matches_escaped_literal_text(db):
    coll = db["conf_regex"]
    coll.insert_many([{"_id": "1", "name": "幸福(南岸)养老院"},
                      {"_id": "2", "name": "幸福南岸养老院"}])
    found = coll.find({"name": {"$regex": re.escape("(南岸)"), "$options": "i"}})
    assert [d["_id"] for d in found] == ["1"]


def test_match_count_sort_skip_and_limit(db):
    coll = db["conf_page"]
    coll.create_index("status")
    coll.insert_many([{"_id": f"k{n}", "name": f"n{n % 3}", "uscc": f"u{n:02d}",
                       "status": "filed" if n % 2 else "cancelled"} for n in range(10)])
    counted = list(coll.aggregate([{"$match": {"status": "filed"}}, {"$count": "n"}]))
    assert counted == [{"n": 5}]
    nothing = list(coll.aggregate([{"$match": {"status": "none"}}, {"$count": "n"}]))
    assert nothing in ([], [{"n": 0}])  # MongoDB answers [], nx-27017 [{"n": 0}]
    page = coll.find({"status": "filed"}).sort([("name", 1), ("uscc", 1)]).skip(1).limit(3)
    assert [d["_id"] for d in page] == ["k9", "k1", "k7"]


def test_dropped_collections_leave_the_collection_list(db):
    db["pub_institutions_g7"].insert_one({"_id": "x"})
    assert "pub_institutions_g7" in db.list_collection_names()
    db.drop_collection("pub_institutions_g7")
    assert "pub_institutions_g7" not in db.list_collection_names()


def test_a_text_index_over_an_array_of_tokens_finds_holders_after_every_kind_of_write(db):
    # the directory's name search (an ordinary index over an array matches nothing on nx-27017)
    from pymongo import TEXT, UpdateOne

    coll = db["conf_tokens"]
    coll.create_index([("keys", TEXT)], default_language="none")
    coll.insert_one({"_id": "a", "keys": ["k00798f005bff", "k1"]})
    coll.update_one({"_id": "b"}, {"$set": {"keys": ["k2", "k00798f005bff"]}}, upsert=True)
    coll.bulk_write([UpdateOne({"_id": "c"}, {"$set": {"keys": ["k3"]}}, upsert=True)])
    coll.update_one({"_id": "a"}, {"$set": {"keys": ["k3"]}})

    def holders(token: str) -> list[str]:
        return sorted(d["_id"] for d in coll.find({"$text": {"$search": token}}, {"_id": 1}))

    assert holders("k00798f005bff") == ["b"] and holders("k3") == ["a", "c"]
    assert holders("k") == [] and holders("k0079") == []  # whole tokens only


def test_string_ranges_sort_by_code_point_with_control_separators(db):
    # the directory's order fields: "<count key>\x02<name>\x01<uscc>"
    coll = db["conf_order"]
    coll.create_index("o")
    values = ["s=f\x02A\x01z", "s=f\x02AB\x01a", "s=f\x02\x01y", "s=f\x02阳光\x01b",
              "s=f\x02阳\x01c", "s=f\x02ab\x01a", "s=f\x02Ａ\x01a", "s=fx\x02A\x01a", "s=\x02"]
    coll.insert_many([{"_id": str(n), "o": v} for n, v in enumerate(values)])
    found = coll.find({"o": {"$gte": "s=f\x02", "$lt": "s=f\x03"}}).sort("o", 1)
    assert [d["o"] for d in found] == sorted(v for v in values if v.startswith("s=f\x02"))
    page = coll.find({"o": {"$gte": "s=f\x02", "$lt": "s=f\x03"}}).sort("o", 1).skip(2).limit(2)
    assert [d["o"] for d in page] == ["s=f\x02AB\x01a", "s=f\x02ab\x01a"]
    coll.insert_one({"_id": "old"})  # a document stored before the field existed
    assert coll.find_one({"o": None}, {"_id": 1}) == {"_id": "old"}  # indexed null: missing
