"""Counts the directory keeps instead of counting per request.

Every document adds one to each combination of its facets (filing status, district, operator
type), each either its own value or "any": eight keys. A query without a name search reads its
total from one key. The directory projection moves the counts by ``deltas(old, new)`` in the
same batch as the documents; a rebuild counts the generation it writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

ANY = "*"
NONE = "-"  # a document without a value in a facet (no query asks for it)
COUNTS = "proj_directory_counts"  # one document per key: {"_id": key, "n": int}


def count_key(status: str | None, district: str | None, operator_type: str | None) -> str:
    """The key of one filter combination; None means any value."""
    return "|".join(f"{k}={v if v else ANY}" for k, v in (
        ("s", status), ("d", district), ("o", operator_type)))


def facet_keys(doc: Mapping[str, Any]) -> list[str]:
    """The eight keys one document counts towards, in the order of
    ``product((True, False), repeat=3)`` over (status, district, operator type) kept: each
    is ``count_key`` of the kept values (folded per event, so spelt out for speed)."""
    s = f"s={doc.get('filing_status') or NONE}"
    d = f"d={doc.get('district_code') or NONE}"
    o = f"o={doc.get('operator_type') or NONE}"
    return [f"{a}|{b}|{c}" for a in (s, _ANY_S) for b in (d, _ANY_D) for c in (o, _ANY_O)]


_ANY_S, _ANY_D, _ANY_O = f"s={ANY}", f"d={ANY}", f"o={ANY}"


def deltas(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, int]:
    """How the counts move when a document changes from ``old`` to ``new`` (None: absent).
    Keys whose count does not move are left out."""
    moved: Counter[str] = Counter()
    for key in facet_keys(new) if new is not None else ():
        moved[key] += 1
    for key in facet_keys(old) if old is not None else ():
        moved[key] -= 1
    return {k: v for k, v in moved.items() if v}
