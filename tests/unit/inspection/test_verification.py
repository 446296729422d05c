"""Anyone can recompute a draw; a tampered seed, snapshot or result never verifies."""

from __future__ import annotations

import copy

from inspection.domain.canonical import commitment, digest
from inspection.domain.draw import draw, verify

from tests.unit.inspection.builders import inspector, make_uscc, obj, snapshot

SEED = "a3f1" * 16


def _published() -> tuple[dict, dict]:
    snap = snapshot([obj(make_uscc(n), "BCD"[n % 3]) for n in range(1, 30)],
                    [inspector("civil_affairs", n) for n in range(5)], ["civil_affairs"])
    return snap, {"published_commitment": commitment(SEED),
                  "published_snapshot_hash": digest(snap),
                  "published_result_hash": digest(draw(SEED, snap))}


def test_an_honest_draw_verifies():
    snap, published = _published()
    assert verify(SEED, snap, **published)["matches"] is True


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
        "commitment": True, "snapshot_hash": True, "result_hash": False}


def test_canonical_hash_ignores_key_order_but_not_values():
    a = {"x": 1, "y": [1, 2]}
    assert digest(a) == digest({"y": [1, 2], "x": 1}) != digest({"x": 1, "y": [2, 1]})
