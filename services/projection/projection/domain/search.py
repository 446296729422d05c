"""Name search through n-gram keys, for Chinese names (no word boundaries to index on).

A name is indexed under every character bigram and every single character of its normalised
form (NFKC folds full-width to half-width, casefold ignores case). A query of two or more
characters is looked up under one of its bigrams, a one-character query under that character;
the candidates are then confirmed by the exact substring test ``contains``. Every name that
contains the query holds all the query's keys, so the lookup misses nothing.

The read model keeps, per token, how many names hold it, of any filing status and of each
(``COUNTS``, moved by ``deltas``). A query of one or two characters is its own key, so that
count is its exact number of matches; a longer query is looked up under its key held by the
fewest names (``rarest``).

Keys are stored as tokens of lowercase hex digits (``token``): a text index splits words at
punctuation and spaces, and a key such as "(北" would not survive that. A text index over an
array of such tokens answers "which documents hold this token" on real MongoDB and on nx-27017
alike (nx-27017 matches nothing when an ordinary index covers an array field).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Any

# Characters most institution names share: a key made of them matches many names, so a query
# is looked up under its key with the fewest of them (ties: the first such key).
COMMON = frozenset("养老院敬护理康颐中心服务福利社会区县市镇乡街道村有限责任公司之家年公寓"
                   "机构站日间照料托长者人民政府医")


def normalise(text: str) -> str:
    """The form names and queries are compared in (width and case folded)."""
    return unicodedata.normalize("NFKC", text).casefold()


def name_keys(name: str | None) -> list[str]:
    """Every key a name is indexed under: its bigrams and its characters, each once, sorted."""
    text = normalise(name or "")
    return sorted({text[i:i + 2] for i in range(len(text) - 1)} | set(text))


def query_keys(query: str) -> list[str]:
    """The keys every match holds: the query's bigrams, or its one character."""
    text = normalise(query)
    if len(text) < 2:
        return [text] if text else []
    return list(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))


def lookup_key(query: str) -> str | None:
    """The key to look the query up under (the one likely to match the fewest names)."""
    keys = query_keys(query)
    if not keys:
        return None
    return min(keys, key=lambda k: sum(c in COMMON for c in k))


def token(key: str) -> str:
    """A key as a word no text index splits: "k" and six hex digits per character."""
    return "k" + "".join(f"{ord(c):06x}" for c in key)


def name_tokens(name: str | None) -> list[str]:
    """The tokens stored with a name (the view's ``search_keys``)."""
    return list(_name_tokens(name))


@functools.lru_cache(maxsize=4096)
def _name_tokens(name: str | None) -> tuple[str, ...]:
    """(An institution's name is folded again with each of its events: kept for a while.)"""
    return tuple(token(k) for k in name_keys(name))


def contains(name: str | None, query: str) -> bool:
    """The exact test: the normalised name contains the normalised query."""
    return normalise(query) in normalise(name or "")


COUNTS = "proj_directory_search_counts"  # one document per token: {"_id": token, "n": names}
NAMED = "*"  # the count of every name with a key: present once counts are kept (no token is *)


def deltas(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, int]:
    """How the per-token counts move when a document's ``search_keys`` and filing status go
    from ``old``'s to ``new``'s (None: no document). Keys whose count does not move are
    left out."""
    before, after = _held_tokens(old), _held_tokens(new)
    return {**dict.fromkeys(after - before, 1), **dict.fromkeys(before - after, -1)}


def scoped(token_: str, status: str | None) -> str:
    """The count key of a token among names of one filing status (None: any status)."""
    return f"{status}:{token_}" if status else token_


def _held_tokens(doc: Mapping[str, Any] | None) -> set[str]:
    """The count keys a document adds one to: each token, for any status and for its own."""
    tokens = set(doc.get("search_keys") or ()) if doc is not None else set()
    if not tokens:
        return tokens
    status = doc.get("filing_status") if doc is not None else None
    return tokens | {scoped(t, status) for t in tokens if status} | {NAMED}


def is_single_key(query: str) -> bool:
    """Whether the query is its own only key: every name holding that key matches it."""
    return 0 < len(normalise(query)) <= 2


def rarest(query: str, held: Mapping[str, int], status: str | None = None
           ) -> tuple[str, int] | None:
    """The query's key held by the fewest names (of ``status``, None: any), by the kept
    counts ``held`` (count key -> names), and that number: an upper bound of the matches
    (0: none can match)."""
    keys = query_keys(query)
    if not keys:
        return None
    best = min(keys, key=lambda k: held.get(scoped(token(k), status), 0))
    return best, held.get(scoped(token(best), status), 0)
