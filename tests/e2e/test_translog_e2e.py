"""The transparency log of the running platform: the demo's published penalties are in it,
an outsider's CLI verifies one's inclusion and two checkpoints' consistency, and an edit of
the stored record in the database is detected (then undone: the stack is shared)."""

from __future__ import annotations

import requests
from pymongo import MongoClient
from translog import verify
from translog.keys import load

from tests.e2e.conftest import poll


def test_an_outsider_verifies_a_disclosed_penalty_and_catches_an_edit(stack, tmp_path):
    url = stack.urls["translog"]
    key = load({"TRANSLOG_KEY_FILE": stack.env["TRANSLOG_KEY_FILE"]}).verifier_key

    def penalty_leaf() -> int | None:
        note = requests.get(f"{url}/api/v1/log/checkpoint", timeout=5)
        if note.status_code != 200:
            return None
        size = int(note.text.split("\n")[1])
        for start in range(0, size, 100):
            page = requests.get(f"{url}/api/v1/log/entries", timeout=5,
                                params={"start": start, "end": min(size, start + 100)}).json()
            for e in page:
                if e["public"] and e["record"]["kind"] == "penalty":
                    return int(e["index"])
        return None

    index = poll(penalty_leaf, timeout=60, every=1.0)
    old = tmp_path / "old.note"
    assert verify.main(["checkpoint", "--url", url, "--key", key, "--out", str(old)]) == 0
    assert verify.main(["inclusion", "--url", url, "--key", key, "--index", str(index)]) == 0
    # the public penalties page shows each penalty's leaf, linked to its entry
    page = poll(lambda: (r := requests.get(f"{stack.urls['projection']}/credit/penalties",
                                           timeout=10)).ok and 'class="leaf"' in r.text
                and r.text, timeout=30, every=1.0)
    assert f"{url}/api/v1/log/entries/" in page
    entry = requests.get(f"{url}/api/v1/log/entries/{index}", timeout=5).json()
    found = requests.get(f"{url}/api/v1/log/lookup", timeout=5,
                         params={"key": entry["record"]["key"]}).json()
    assert index in [f["index"] for f in found]
    new = tmp_path / "new.note"
    assert verify.main(["checkpoint", "--url", url, "--key", key, "--out", str(new)]) == 0
    assert verify.main(["consistency", "--url", url, "--key", key, "--old", str(old),
                        "--new", str(new)]) == 0
    with MongoClient(stack.infra.mongo_uri) as mongo:
        leaves = mongo["eldercare_translog"]["tl_leaves"]
        original = leaves.find_one({"_id": index})["record"]
        leaves.update_one({"_id": index}, {"$set": {"record.data.published_on": "2000-01-01"}})
        try:
            assert verify.main(["inclusion", "--url", url, "--key", key,
                                "--index", str(index)]) == 1
        finally:
            leaves.update_one({"_id": index}, {"$set": {"record": original}})
    assert verify.main(["inclusion", "--url", url, "--key", key, "--index", str(index)]) == 0


def test_a_rewritten_log_re_signed_with_the_logs_own_key_is_caught(stack, tmp_path):
    """Someone with the database and the signing key rewrites one leaf and signs a new
    checkpoint over the rewritten tree: an outsider's earlier checkpoint proves the history
    was rewritten (then the leaf is put back: the stack is shared)."""
    from translog.adapters import MongoLog

    from shared import merkle
    from shared.signednote import Checkpoint

    url = stack.urls["translog"]
    signer = load({"TRANSLOG_KEY_FILE": stack.env["TRANSLOG_KEY_FILE"]})
    old = tmp_path / "old.note"
    poll(lambda: requests.get(f"{url}/api/v1/log/checkpoint", timeout=5).ok, timeout=60,
         every=1.0)
    assert verify.main(["checkpoint", "--url", url, "--key", signer.verifier_key,
                        "--out", str(old)]) == 0
    size = int(old.read_text().split("\n")[1])  # the note's second line: the tree size
    with MongoClient(stack.infra.mongo_uri) as mongo:
        db = mongo["eldercare_translog"]
        leaves = db["tl_leaves"]
        original = leaves.find_one({"_id": 0})["leaf"]
        leaves.update_one({"_id": 0}, {"$set": {"leaf": "00" * 32}})
        try:
            forged_root = merkle.root([merkle.leaf_hash(x)
                                       for x in MongoLog(db).leaf_datas(size)])
            forged = tmp_path / "forged.note"
            forged.write_text(signer.sign(Checkpoint(signer.name, size, forged_root).text()))
            # the forged checkpoint is validly signed, and of the same size: a fork
            assert verify.main(["consistency", "--url", url, "--key", signer.verifier_key,
                                "--old", str(old), "--new", str(forged)]) == 1
        finally:
            leaves.update_one({"_id": 0}, {"$set": {"leaf": original}})
