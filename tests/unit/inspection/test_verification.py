"""Anyone can recompute a draw; a tampered seed, snapshot, opening or result never verifies."""

from __future__ import annotations

import copy

from inspection.domain.canonical import commitment, digest
from inspection.domain.draw import draw, verify

from tests.unit.inspection.builders import conflicts_of, inspector, make_uscc, obj, seal

SEED = "a3f1" * 16


def _published() -> tuple[dict, dict]:
    usccs = [make_uscc(n) for n in range(1, 30)]
    snap, openings = seal([obj(u, "BCD"[n % 3]) for n, u in enumerate(usccs, start=1)],
                          [inspector("civil_affairs", n, conflicts=usccs[n::4])
                           for n in range(5)], ["civil_affairs"])
    outcome = draw(SEED, snap, conflicts_of(openings))
    opened = [openings[t["uscc"]] for t in outcome["tasks"]]
    return snap, {"published_commitment": commitment(SEED),
                  "published_snapshot_hash": digest(snap),
                  "published_result_hash": digest(outcome), "openings": opened}


def test_an_honest_draw_verifies():
    snap, published = _published()
    out = verify(SEED, snap, **published)
    assert out["matches"] is True and out["problems"] == []


def test_a_tampered_seed_fails_the_commitment_and_the_result():
    snap, published = _published()
    out = verify("b" + SEED[1:], snap, **published)
    assert out["matches"] is False
    assert out["checks"]["commitment"] is False and out["checks"]["result_hash"] is False


def test_a_tampered_snapshot_fails_the_snapshot_hash():
    snap, published = _published()
    forged = copy.deepcopy(snap)
    forged["objects"][0]["excluded"] = True  # quietly spare one institution
    out = verify(SEED, forged, **published)
    assert out["matches"] is False and out["checks"]["snapshot_hash"] is False


def test_a_tampered_result_hash_fails():
    snap, published = _published()
    out = verify(SEED, snap, **{**published, "published_result_hash": "0" * 64})
    assert out["matches"] is False and out["checks"] == {
        "commitment": True, "snapshot_hash": True, "conflict_openings": True,
        "result_hash": False, "replacements": True}


def test_a_hidden_conflict_cannot_be_opened_as_none():
    """An opening that drops a declared conflict no longer hashes to the committed tag."""
    snap, published = _published()
    opened = copy.deepcopy(published["openings"])
    victim = next(op for op in opened if op["inspectors"])
    victim["inspectors"] = []
    out = verify(SEED, snap, **{**published, "openings": opened})
    assert out["matches"] is False and out["checks"]["conflict_openings"] is False
    assert victim["uscc"] in out["problems"][0]


def test_every_drawn_institution_must_be_opened():
    snap, published = _published()
    out = verify(SEED, snap, **{**published, "openings": published["openings"][1:]})
    assert out["matches"] is False and out["checks"]["conflict_openings"] is False


def test_canonical_hash_ignores_key_order_but_not_values():
    a = {"x": 1, "y": [1, 2]}
    assert digest(a) == digest({"y": [1, 2], "x": 1}) != digest({"x": 1, "y": [2, 1]})
