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
