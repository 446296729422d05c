"""shared.merkle against the published RFC 6962/9162 test vectors (the leaves "", 00, 10,
2021, 3031, 40414243, 5051525354555657, 606162636465666768696a6b6c6d6e6f and their tree heads,
inclusion and consistency proofs), and as invariants over random trees: every honest proof
verifies, any changed leaf, root, index, size or proof element does not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared import merkle

DATA = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"]
LEAVES = [merkle.leaf_hash(bytes.fromhex(d)) for d in DATA]
ROOTS = ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
INCLUSION = [  # (leaf index, tree size, proof)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]


def test_tree_heads_of_every_size_match_the_published_roots() -> None:
    for n in range(9):
        assert merkle.root(LEAVES[:n]).hex() == ROOTS[n], n


def test_inclusion_proofs_match_the_vectors_and_verify() -> None:
    for index, size, proof in INCLUSION:
        got = merkle.inclusion_proof(index, LEAVES[:size])
        assert [p.hex() for p in got] == proof
        root = bytes.fromhex(ROOTS[size])
        assert merkle.verify_inclusion(index, size, LEAVES[index], got, root)
        assert not merkle.verify_inclusion(index, size, LEAVES[index], got,
                                           bytes.fromhex(ROOTS[0]))


def test_consistency_proofs_match_the_vectors_and_verify() -> None:
    for first, second, proof in CONSISTENCY:
        got = merkle.consistency_proof(first, LEAVES[:second])
        assert [p.hex() for p in got] == proof
        assert merkle.verify_consistency(first, second, got, bytes.fromhex(ROOTS[first]),
                                         bytes.fromhex(ROOTS[second]))


leaves = st.lists(st.binary(max_size=12), min_size=1, max_size=40).map(
    lambda xs: [merkle.leaf_hash(x) for x in xs])


def _flip(b: bytes) -> bytes:
    return bytes([b[0] ^ 1]) + b[1:]


@settings(max_examples=200, deadline=None)
@given(leaves, st.data())
def test_every_inclusion_proof_verifies_and_any_change_fails(tree, data) -> None:
    n = len(tree)
    i = data.draw(st.integers(0, n - 1))
    top = merkle.root(tree)
    proof = merkle.inclusion_proof(i, tree)
    assert merkle.verify_inclusion(i, n, tree[i], proof, top)
    assert not merkle.verify_inclusion(i, n, _flip(tree[i]), proof, top)  # a tampered leaf
    assert not merkle.verify_inclusion(i, n, tree[i], proof, _flip(top))
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:k], _flip(proof[k]), *proof[k + 1:]]
        assert not merkle.verify_inclusion(i, n, tree[i], bad, top)
    other = data.draw(st.integers(0, n - 1))
    if tree[other] != tree[i]:  # the same proof for another position (a reordered log)
        assert not merkle.verify_inclusion(other, n, tree[i], proof, top) or \
            merkle.inclusion_proof(other, tree) == proof
    # a size whose path to the leaf is longer or shorter than the proof fails (the size
    # itself is bound by the signed checkpoint, not by the proof)
    assert not merkle.verify_inclusion(i, 2 * n + 1, tree[i], proof, top)


@settings(max_examples=200, deadline=None)
@given(leaves, st.data())
def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not(tree, data) -> None:
    n = len(tree)
    m = data.draw(st.integers(1, n))
    old, new = merkle.root(tree[:m]), merkle.root(tree)
    proof = merkle.consistency_proof(m, tree)
    assert merkle.verify_consistency(m, n, proof, old, new)
    # a fork: the same size with one earlier leaf rewritten
    j = data.draw(st.integers(0, m - 1))
    forked = [*tree[:j], _flip(tree[j]), *tree[j + 1:]]
    if m < n or forked != tree:
        assert not merkle.verify_consistency(m, n, merkle.consistency_proof(m, forked),
                                             old, merkle.root(forked))
    assert not merkle.verify_consistency(m, n, proof, _flip(old), new)
    if m < n:
        assert not merkle.verify_consistency(m, n, proof, old, _flip(new))


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=8), max_size=70), st.data())
def test_a_tree_head_from_compact_ranges_equals_the_whole_tree_hashed(datas, data):
    """Extending the last checkpoint's compact range by the leaves added since gives the
    tree head hashed from every leaf, whatever sizes the checkpoints were signed at."""
    leaves = [merkle.leaf_hash(d) for d in datas]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(leaves)), max_size=5)))
    frontier, size = [], 0
    for cut in [*cuts, len(leaves)]:
        frontier = merkle.extend(frontier, size, leaves[size:cut])
        size = cut
        assert len(frontier) == size.bit_count()
        assert merkle.frontier_root(frontier) == merkle.root(leaves[:size])


def test_a_compact_range_of_the_wrong_length_is_refused():
    import pytest

    with pytest.raises(ValueError):
        merkle.extend([merkle.leaf_hash(b"a")], 3, [])  # 3 leaves: two subtrees


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=70), st.data())
def test_proofs_from_the_perfect_subtrees_a_checkpoint_keeps_are_the_proofs_from_every_leaf(
        datas, data):
    """While a compact range is extended, every perfect subtree it completes is reported
    once with its level, index and the root of exactly its leaves; inclusion and
    consistency proofs built from those roots (and leaves past the last checkpoint) are the
    proofs built from every leaf, for any index and any pair of sizes."""
    leaves = [merkle.leaf_hash(d) for d in datas]
    covered = data.draw(st.integers(0, len(leaves)))  # the last checkpoint's size
    kept: dict[tuple[int, int], bytes] = {}

    def heard(level: int, index: int, digest: bytes) -> None:
        assert (level, index) not in kept
        assert digest == merkle.root(leaves[index << level:(index + 1) << level])
        kept[(level, index)] = digest

    cuts = sorted(data.draw(st.lists(st.integers(0, covered), max_size=4)))
    frontier, size = [], 0
    for cut in [*cuts, covered]:
        frontier = merkle.extend(frontier, size, leaves[size:cut], heard)
        size = cut
    assert set(kept) == {(level, i) for level in range(1, 8)
                         for i in range(covered >> level)}

    def perfect(level: int, index: int) -> bytes:
        if level and (level, index) in kept:
            return kept[(level, index)]
        return merkle.root(leaves[index << level:(index + 1) << level])

    def subtree(start: int, end: int) -> bytes:
        return merkle.range_root(start, end, perfect)

    n = data.draw(st.integers(1, len(leaves)))
    index, m = data.draw(st.integers(0, n - 1)), data.draw(st.integers(1, n))
    assert merkle.inclusion_path(index, n, subtree) == merkle.inclusion_proof(index, leaves[:n])
    assert merkle.consistency_path(m, n, subtree) == merkle.consistency_proof(m, leaves[:n])


def test_a_range_that_is_no_subtree_has_no_range_root():
    import pytest

    def perfect(level: int, index: int) -> bytes:
        return b""

    for start, end in ((1, 3), (2, 5), (4, 4), (0, 0)):
        with pytest.raises(ValueError):
            merkle.range_root(start, end, perfect)
