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
