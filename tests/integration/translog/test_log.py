"""The transparency log on MongoDB, served over real HTTP, checked by the verifier CLI with
nothing but the public endpoints and the verifier key: a disclosed penalty's inclusion, two
checkpoints' consistency; a stored record edited, a leaf rewritten or a forked history is
detected."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from translog import verify
from translog.adapters import MongoLog
from translog.app.log import on_event, sign_checkpoint
from translog.bootstrap import create_app
from werkzeug.serving import make_server

from shared.config import Settings
from shared.envelope import Envelope, ce_type, new_event_id
from shared.signednote import Signer

ORIGIN = "eldercare.example.gov.cn/disclosures"


def _env(service: str, name: str, data: dict) -> Envelope:
    return Envelope(id=new_event_id(), source=f"/eldercare/{service}",
                    type=ce_type(service, name), subject="s",
                    time=datetime(2026, 11, 20, tzinfo=UTC), data=data, stream_version=1,
                    command_id="c", actor_dept="system", actor="t")


def penalty(n: int) -> Envelope:
    return _env("credit", "PenaltyPublished", {
        "penalty_id": f"P-{n}", "uscc": "91500103MA5U7XYK4F", "published_on": "2026-11-20",
        "display_until": "2027-11-20", "display_rule": "r", "display_months": 12,
        "due_by": "2026-11-27", "late": False})


def _penalties(log: MongoLog, first: int, count: int) -> int:
    """Log penalties ``first``..``first + count - 1`` one event at a time; the next number."""
    for n in range(first, first + count):
        on_event(log, penalty(n))
    return first + count


@pytest.fixture()
def db(mongo_client, unique):
    database = mongo_client[f"ttl_{unique}_translog"]
    yield database
    mongo_client.drop_database(database.name)


@pytest.fixture()
def served(db, infra, unique):
    settings = Settings(service="translog", mongodb_uri=infra.mongo_uri,
                        db_prefix=f"ttl_{unique}_",
                        extra={"ELDERCARE_PUBLIC_RATE_LIMIT": "100000 per second"})
    app = create_app(settings, db=db)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_outsider_verifies_inclusion_and_consistency_and_catches_tampering(
        db, served, tmp_path, capsys) -> None:
    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    key = signer.verifier_key
    indexes = [on_event(log, penalty(n)) for n in range(5)]
    assert indexes == [0, 1, 2, 3, 4]
    ev = penalty(9)
    assert on_event(log, ev) == on_event(log, ev) == 5  # the same event: the same leaf
    assert on_event(log, _env("credit", "PenaltyDecided", {})) is None  # not a disclosure
    old = tmp_path / "old.note"
    sign_checkpoint(log, signer, ORIGIN)
    assert verify.main(["checkpoint", "--url", served, "--key", key, "--out", str(old)]) == 0
    for n in range(10, 13):
        on_event(log, penalty(n))
    sign_checkpoint(log, signer, ORIGIN)
    new = tmp_path / "new.note"
    assert verify.main(["checkpoint", "--url", served, "--key", key, "--out", str(new)]) == 0
    assert verify.main(["inclusion", "--url", served, "--key", key, "--index", "3"]) == 0
    assert verify.main(["consistency", "--url", served, "--key", key, "--old", str(old),
                        "--new", str(new)]) == 0
    # a withdrawal takes the record off, the leaf stays and still proves
    on_event(log, _env("credit", "PenaltyWithdrawn", {
        "penalty_id": "P-3", "uscc": "u", "change": "revoked", "reason": "复议撤销",
        "revoked_on": "2026-11-21", "withdraw_by": "2026-11-24", "withdrawn_on": "2026-11-21",
        "late": False, "was_published": True}))
    assert db["tl_leaves"].find_one({"_id": 3}).get("record") is None
    sign_checkpoint(log, signer, ORIGIN)
    assert verify.main(["inclusion", "--url", served, "--key", key, "--index", "3"]) == 0
    assert "taken down" in capsys.readouterr().out
    # someone with database access edits a public record: its leaf no longer matches
    db["tl_leaves"].update_one({"_id": 1}, {"$set": {"record.data.penalty_id": "P-X"}})
    assert verify.main(["inclusion", "--url", served, "--key", key, "--index", "1"]) == 1
    # ... or rewrites a leaf and re-signs with the log's key: the old checkpoint catches it
    db["tl_leaves"].update_one({"_id": 0}, {"$set": {"leaf": "00" * 32}})
    db["tl_checkpoints"].delete_many({})
    sign_checkpoint(log, signer, ORIGIN)
    rewritten = tmp_path / "rewritten.note"
    assert verify.main(["checkpoint", "--url", served, "--key", key, "--out",
                        str(rewritten)]) == 0
    assert verify.main(["consistency", "--url", served, "--key", key, "--old", str(old),
                        "--new", str(rewritten)]) == 1
    assert "rewritten" in capsys.readouterr().err
    # a checkpoint signed by another key is refused
    other = Signer.generate(ORIGIN).verifier_key
    assert verify.main(["inclusion", "--url", served, "--key", other, "--index", "2"]) == 1


def test_a_fork_of_the_same_size_is_caught(db, served, tmp_path) -> None:
    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    for n in range(3):
        on_event(log, penalty(n))
    a = sign_checkpoint(log, signer, ORIGIN)
    db["tl_leaves"].update_one({"_id": 2}, {"$set": {"leaf": "11" * 32}})
    db["tl_checkpoints"].delete_many({})
    b = sign_checkpoint(log, signer, ORIGIN)
    (tmp_path / "a").write_text(a)
    (tmp_path / "b").write_text(b)
    assert verify.main(["consistency", "--url", served, "--key", signer.verifier_key,
                        "--old", str(tmp_path / "a"), "--new", str(tmp_path / "b")]) == 1


def test_bad_proof_requests_are_422_not_500(served) -> None:
    import requests

    for path in ("/proofs/inclusion?index=5&size=2", "/proofs/inclusion?index=-1&size=1",
                 "/proofs/consistency?first=3&second=2", "/proofs/consistency?first=0&second=1",
                 "/proofs/inclusion?index=x&size=1"):
        resp = requests.get(served + "/api/v1/log" + path, timeout=5)
        assert resp.status_code == 422, (path, resp.status_code)
    assert requests.get(served + "/api/v1/log/checkpoint", timeout=5).status_code == 404


def test_indexes_stay_dense_past_ten_and_every_leaf_proves(db, served) -> None:
    """The stand-in sorts integer ids as text: the log relies on no server-side sort."""
    from shared import merkle

    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    assert [on_event(log, penalty(n)) for n in range(30)] == list(range(30))
    sign_checkpoint(log, signer, ORIGIN)
    assert log.latest_checkpoint()["_id"] == 30
    for n in range(30, 33):
        on_event(log, penalty(n))
    sign_checkpoint(log, signer, ORIGIN)
    assert log.latest_checkpoint()["_id"] == 33
    leaves = [merkle.leaf_hash(x) for x in log.leaf_datas(33)]
    assert verify.main(["inclusion", "--url", served, "--key", signer.verifier_key,
                        "--index", "27"]) == 0
    assert merkle.root(leaves) != merkle.root(leaves[:30])


def test_two_writers_with_kept_indexes_stay_dense_and_a_redelivery_keeps_its_index(
        db) -> None:
    """Each writer keeps its next index instead of counting per leaf: a writer whose kept
    index another took counts again, and an event seen before keeps its first index, so the
    log stays dense and holds every event once whichever writer gets it."""
    first, second = MongoLog(db), MongoLog(db)
    first.ensure_indexes()
    events = [penalty(n) for n in range(12)]
    got = {}
    for n, env in enumerate(events):
        writer = (first, second)[n % 3 == 0]  # interleaved: kept indexes go stale
        got[env.id] = on_event(writer, env)
    assert sorted(got.values()) == list(range(12))
    for writer in (first, second):  # redelivered to either: same index, nothing added
        assert [on_event(writer, e) for e in events] == [got[e.id] for e in events]
    assert first.size() == 12
    assert sorted(d["_id"] for d in db["tl_leaves"].find({}, {"_id": 1})) == list(range(12))


def test_a_batch_appends_like_one_event_at_a_time_whatever_the_log_already_holds(
        db) -> None:
    """on_events over batches (with events already in the log, repeated in a batch, and
    another writer's leaf taking the index the batch counted on) gives every event the index
    on_event would and leaves the log dense."""
    from translog.app.log import on_events

    mine, other = MongoLog(db), MongoLog(db)
    mine.ensure_indexes()
    events = [penalty(n) for n in range(20)]
    first = on_events(mine, events[:5])
    assert first == list(range(5))
    assert on_events(mine, [events[3], *events[5:8], events[6]]) == [3, 5, 6, 7, 6]
    assert on_event(other, events[8]) == 8  # mine still counts on 8 being free
    got = on_events(mine, events[8:20])
    assert got == list(range(8, 20))
    assert sorted(d["_id"] for d in db["tl_leaves"].find({}, {"_id": 1})) == list(range(20))
    assert [on_event(mine, e) for e in events] == list(range(20))


def test_public_pages_find_each_disclosures_leaf_and_live_without_the_log(
        db, served, monkeypatch) -> None:
    from projection.web import translog as links

    log = MongoLog(db)
    log.ensure_indexes()
    for n in range(3):
        on_event(log, penalty(n))
    monkeypatch.setenv("ELDERCARE_TRANSLOG_URL", served)
    monkeypatch.setattr(links, "_known", {})
    found = links.leaves(["penalty:P-2", "penalty:nope"])
    assert found["penalty:P-2"]["index"] == 2 and "penalty:nope" not in found
    assert found["penalty:P-2"]["url"].endswith("/api/v1/log/entries/2")
    monkeypatch.setenv("ELDERCARE_TRANSLOG_URL", "http://127.0.0.1:9")  # the log is down
    assert links.leaves(["penalty:P-1"]) == {}
    assert links.leaves(["penalty:P-2"])["penalty:P-2"]["index"] == 2  # kept once found


def test_a_draws_beacon_is_the_first_checkpoint_holding_its_record(db, served) -> None:
    """For any record, the beacon is the first signed checkpoint holding its first leaf; the
    checker proves it from the public endpoints, and catches a later checkpoint passed off as
    the beacon, whether by the draw or by an edited checkpoint chain."""
    import pytest

    from shared.tlog import Failed, check_beacon

    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    key = signer.verifier_key
    notes = []
    for batch in ([0, 1], [2], [3, 4, 5], [6]):
        for n in batch:
            on_event(log, penalty(n))
        notes.append(sign_checkpoint(log, signer, ORIGIN))
    sizes = [2, 3, 6, 7]
    for n, first in ((0, 0), (1, 0), (2, 1), (4, 2), (5, 2), (6, 3)):
        used = check_beacon(served, key, f"penalty:P-{n}", notes[first])
        assert used == notes[first] and f"\n{sizes[first]}\n" in used
    with pytest.raises(Failed, match="another checkpoint"):
        check_beacon(served, key, "penalty:P-2", notes[2])  # a later one is not the beacon
    with pytest.raises(Failed, match="HTTP 404"):
        check_beacon(served, key, "penalty:P-99")
    # the operator hides the checkpoint of 3 so that the one of 6 passes for the first
    # holding P-2: consistent and signed, so only someone who kept the checkpoint of 3 (a
    # monitor, a journalist, any earlier verifier run) can tell, and then it is caught
    db["tl_checkpoints"].delete_one({"_id": 3})
    db["tl_checkpoints"].update_one({"_id": 6}, {"$set": {"previous": 2}})
    assert check_beacon(served, key, "penalty:P-2", notes[2]) == notes[2]
    with pytest.raises(Failed, match="hid it"):
        check_beacon(served, key, "penalty:P-2", notes[2], seen=[notes[1]])
    assert check_beacon(served, key, "penalty:P-2", notes[2], seen=[notes[0], notes[3]])


def test_each_checkpoint_reads_only_the_leaves_added_since_and_signs_the_whole_trees_head(
        db) -> None:
    """A checkpoint goes on from the last one's compact range; its root equals hashing every
    leaf. A log whose last checkpoint has no compact range (signed before they were kept)
    is read whole, once."""
    from shared import merkle
    from shared.signednote import Checkpoint

    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    read: list[tuple[int, int]] = []
    whole, onwards = log.leaf_datas, log.leaves_from

    def counted(start: int) -> list[bytes]:
        found = onwards(start)
        read.append((start, start + len(found)))
        return found

    log.leaves_from = counted  # type: ignore[method-assign]
    log.leaves.count_documents = None  # type: ignore[method-assign]  # never counted
    n = 0
    for grow in (5, 1, 8, 3):
        n = _penalties(log, n, grow)
        note = sign_checkpoint(log, signer, ORIGIN)
        expected = merkle.root([merkle.leaf_hash(x) for x in whole(n)])
        assert Checkpoint(ORIGIN, n, expected).text() in note
    assert read == [(0, 5), (5, 6), (6, 14), (14, 17)]
    # a checkpoint from before compact ranges were kept: the next one reads every leaf
    db["tl_checkpoints"].update_many({}, {"$unset": {"frontier": ""}})
    on_event(log, penalty(n))
    note = sign_checkpoint(log, signer, ORIGIN)
    assert read[-1] == (0, n + 1)
    assert Checkpoint(ORIGIN, n + 1, merkle.root(
        [merkle.leaf_hash(x) for x in whole(n + 1)])).text() in note


def test_the_size_and_a_checkpoint_cover_only_the_unbroken_run_of_leaves(db) -> None:
    """Without counting, the log's size is the last checkpoint's plus the indexes written
    since without a gap: a leaf another writer has written beyond a gap (its batch half-way
    in) is neither counted nor signed until the gap is filled, and the size always equals
    the number of leaves once they are dense."""
    from shared import merkle
    from shared.signednote import Checkpoint

    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    log.leaves.count_documents = None  # type: ignore[method-assign]  # never counted
    n = 0
    for grow in (3, 0, 4, 1):
        n = _penalties(log, n, grow)
        assert log.size() == n
        sign_checkpoint(log, signer, ORIGIN)
        assert log.size() == n == log.latest_checkpoint()["_id"]
    ahead = penalty(99)
    ahead_doc = {"_id": n + 1, "event_id": ahead.id, "key": "penalty:P-99",
                 "leaf": "00" * 32, "public": True}
    log.leaves.insert_one(ahead_doc)  # leaf n is not written yet
    assert log.size() == n
    assert f"\n{n}\n" in sign_checkpoint(log, signer, ORIGIN)
    log.leaves.insert_one({**ahead_doc, "_id": n, "event_id": "gap", "key": "k"})
    assert log.size() == n + 2
    note = sign_checkpoint(log, signer, ORIGIN)
    assert Checkpoint(ORIGIN, n + 2, merkle.root(
        [merkle.leaf_hash(x) for x in log.leaf_datas(n + 2)])).text() in note


def test_proofs_come_from_kept_subtrees_and_equal_the_proofs_from_every_leaf(db) -> None:
    """Checkpoints keep the roots of perfect subtrees of 64 leaves and more; an inclusion or
    consistency proof is built from them and at most a few hundred leaves, and equals the
    proof built from every leaf, also for sizes past the last checkpoint. A log whose last
    checkpoint kept no subtrees gets them with its next checkpoint."""
    import random

    from translog.adapters import NODE_LEVEL
    from translog.app.log import consistency, inclusion, on_events

    from shared import merkle

    log, signer = MongoLog(db), Signer.generate(ORIGIN)
    log.ensure_indexes()
    events = [penalty(n) for n in range(331)]
    for start, checkpoint in ((0, True), (150, True), (200, False), (290, True),
                              (310, False)):
        on_events(log, events[start:start + (150, 50, 90, 20, 21)[
            (0, 150, 200, 290, 310).index(start)]])
        if checkpoint:
            sign_checkpoint(log, signer, ORIGIN)
    assert log.size() == 331 and log.latest_checkpoint()["_id"] == 310
    every = [merkle.leaf_hash(x) for x in log.leaf_datas(331)]
    whole, read = log.leaf_datas, []

    def counted(size: int, start: int = 0) -> list[bytes]:
        read.append(size - start)
        return whole(size, start)

    log.leaf_datas = counted  # type: ignore[method-assign]
    rng = random.Random(7)
    for _ in range(25):
        n = rng.randint(1, 331)
        i, m = rng.randrange(n), rng.randint(1, n)
        read.clear()
        assert inclusion(log, i, n) == [p.hex() for p in merkle.inclusion_proof(i, every[:n])]
        assert sum(read) <= 4 * (1 << NODE_LEVEL) + 21
        read.clear()
        assert consistency(log, m, n) == [p.hex() for p in
                                          merkle.consistency_proof(m, every[:n])]
        assert sum(read) <= 4 * (1 << NODE_LEVEL) + 21
    # a checkpoint from before subtrees were kept: the next one keeps them all
    db["tl_nodes"].delete_many({})
    db["tl_checkpoints"].update_many({}, {"$unset": {"nodes": ""}})
    log.leaf_datas = whole  # type: ignore[method-assign]
    on_events(log, [penalty(400)])
    sign_checkpoint(log, signer, ORIGIN)
    assert db["tl_nodes"].count_documents({}) == sum(332 >> level
                                                     for level in range(NODE_LEVEL, 10))
