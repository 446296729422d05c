"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1: hashes, the tree
head, inclusion and consistency proofs and their verification. Standard library only.

Written from the RFC's definitions and checked against the published test vectors (tests/
unit/kernel/test_merkle.py). Leaves are hashed as SHA-256(0x00 || data), interior nodes as
SHA-256(0x01 || left || right); the empty tree's hash is SHA-256 of nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH over the leaf hashes ``leaves``."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def extend(frontier: Sequence[bytes], size: int, leaves: Iterable[bytes],
           on_node: Callable[[int, int, bytes], None] | None = None) -> list[bytes]:
    """The compact range of a tree of ``size`` leaves after appending ``leaves`` (hashes).

    A tree's compact range ("frontier") is the root of each perfect subtree its size splits
    into, largest first: one per set bit of the size (13 = 8 + 4 + 1 leaves: three roots).
    Appending a leaf works like adding one to a binary counter (equal subtrees merge), so a
    tree head costs the leaves added since the last one, not the whole log. ``on_node(level,
    index, hash)`` hears of each perfect subtree above the leaves as it is completed: the one
    of leaves ``index * 2**level`` .. ``(index + 1) * 2**level - 1``."""
    if len(frontier) != size.bit_count():
        raise ValueError(f"a frontier of {size} leaves has {size.bit_count()} hashes, "
                         f"not {len(frontier)}")
    out = list(frontier)
    for leaf in leaves:
        out.append(leaf)
        size += 1
        low, level = size & -size, 0  # the leaf closes subtrees while the low bits carry
        while low > 1:
            right = out.pop()
            out[-1] = node_hash(out[-1], right)
            low >>= 1
            level += 1
            if on_node is not None:
                on_node(level, (size >> level) - 1, out[-1])
    return out


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """MTH of the tree whose compact range is ``frontier`` (RFC 9162: the left subtree is the
    largest power of two, so the roots fold from the right)."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for left in reversed(frontier[:-1]):
        acc = node_hash(left, acc)
    return acc


def range_root(start: int, end: int, perfect: Callable[[int, int], bytes]) -> bytes:
    """MTH of the leaves ``start``..``end``-1 from the roots of perfect subtrees:
    ``perfect(level, index)`` is the root of leaves ``index * 2**level`` onwards. The range
    must be a subtree's as RFC 9162 splits trees: ``start`` a multiple of a power of two not
    smaller than its length (every range a proof asks for is)."""
    n = end - start
    if n <= 0:
        raise ValueError(f"no leaves from {start} to {end}")
    if start % (1 << (n - 1).bit_length()):
        raise ValueError(f"leaves {start}..{end - 1} are no subtree of the log")
    roots = []
    while start < end:  # the range's compact range: one perfect subtree per set bit
        level = (end - start).bit_length() - 1
        roots.append(perfect(level, start >> level))
        start += 1 << level
    return frontier_root(roots)


def inclusion_path(index: int, size: int, subtree: Callable[[int, int], bytes]) -> list[bytes]:
    """PATH(index, D[size]), with ``subtree(start, end)`` giving MTH(D[start:end])."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start += k
    return path[::-1]


def consistency_path(m: int, size: int, subtree: Callable[[int, int], bytes]) -> list[bytes]:
    """PROOF(m, D[size]): the old tree of size m is a prefix of the new one."""
    if not 0 < m <= size:
        raise ValueError(f"no consistency proof from {m} to {size}")
    path: list[bytes] = []
    start, end, complete = 0, size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        path.append(subtree(start, end))
    return path[::-1]


def _over(leaves: Sequence[bytes]) -> Callable[[int, int], bytes]:
    return lambda start, end: root(leaves[start:end])


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) over the leaf hashes."""
    return inclusion_path(index, len(leaves), _over(leaves))


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): the old tree of size m is a prefix of the new one."""
    return consistency_path(m, len(leaves), _over(leaves))


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes],
                     expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` put ``leaf`` at ``index`` of the tree ``expected_root``
    of ``size`` leaves?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(first: int, second: int, proof: Sequence[bytes], first_root: bytes,
                       second_root: bytes) -> bool:
    """RFC 9162 2.1.4.2: is the tree ``first_root`` of ``first`` leaves a prefix of the tree
    ``second_root`` of ``second`` leaves?"""
    if first < 1 or second < first:
        return False
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root starts the path
        path = [first_root, *path]
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
