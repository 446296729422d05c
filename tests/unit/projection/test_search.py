"""Name search by n-gram keys finds exactly what a substring search over all names finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from projection.domain import listing, search

# Names of common and rare Chinese characters, some Latin letters and digits in both widths,
# brackets and dots as they appear in names (full-width forms included).
ALPHABET = "养老院敬福寿康乐阳光颐和中心渝北区(（)）·ABCＡＢＣabc12１２- 　"
names = st.text(alphabet=ALPHABET, min_size=0, max_size=14)
queries = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def index_search(all_names: list[str], query: str) -> list[int]:
    """What the store does: documents holding the lookup token, confirmed by ``contains``."""
    key = search.lookup_key(query)
    if key is None:
        return list(range(len(all_names)))
    wanted = search.token(key)
    return [i for i, n in enumerate(all_names)
            if wanted in search.name_tokens(n) and search.contains(n, query)]


@given(st.lists(names, max_size=30), queries)
def test_index_search_equals_brute_force_substring_search(all_names, query):
    brute = [i for i, n in enumerate(all_names) if search.normalise(query) in search.normalise(n)]
    assert index_search(all_names, query) == brute


@given(names, st.data())
def test_every_name_containing_the_query_holds_all_its_keys(name, data):
    text = search.normalise(name)
    start = data.draw(st.integers(0, len(text)))
    query = text[start:data.draw(st.integers(start, len(text)))]
    tokens = set(search.name_tokens(name))
    assert all(search.token(k) in tokens for k in search.query_keys(query))
    assert search.contains(name, query)


def test_width_and_case_are_folded():
    assert search.contains("重庆市ＡＢＣ养老院（渝北）", "abc养老院(渝北")
    assert not search.contains("重庆市福寿养老院", "福康")
    assert search.query_keys("福") == ["福"]
    assert search.query_keys("福寿康") == ["福寿", "寿康"]


def test_lookup_prefers_keys_of_uncommon_characters():
    assert search.lookup_key("养老院福星") == "福星"
    assert search.lookup_key("阳光养老") == "阳光"


@given(st.text(min_size=1, max_size=3))
def test_tokens_are_single_words_for_any_key(key):
    tok = search.token(key)
    assert tok.isascii() and tok.isalnum() and tok == tok.lower()
    assert len({search.token(key), search.token(key + "x")}) == 2


@given(st.lists(st.tuples(st.one_of(st.none(), names), st.text("0123456789", min_size=1,
                                                              max_size=3)), max_size=20))
def test_sort_key_orders_by_name_then_uscc(rows):
    rows = [r for r in rows if "\x01" not in (r[0] or "")]
    by_key = sorted(rows, key=lambda r: listing.sort_key(*r))
    assert by_key == sorted(rows, key=lambda r: (r[0] or "", r[1]))


facets = st.fixed_dictionaries({
    "uscc": st.text("0123456789AB", min_size=1, max_size=4), "name": st.one_of(st.none(), names),
    "filing_status": st.sampled_from(["filed", "cancelled", "unfiled"]),
    "district_code": st.sampled_from(["500103", "500108", None]),
    "operator_type": st.sampled_from(["public", "private", None])})


@given(st.lists(facets, max_size=25), st.sampled_from(["filed", "cancelled", None]),
       st.sampled_from(["500103", "500108", None]), st.sampled_from(["public", "private", None]))
def test_a_query_range_holds_exactly_its_rows_in_directory_order(docs, status, district, op):
    docs = [d for d in docs if "\x01" not in (d["name"] or "")]
    field, low, high = listing.query_range(status, district, op)
    in_range = sorted((d for d in docs if low <= listing.order_fields(d)[field] < high),
                      key=lambda d: listing.order_fields(d)[field])
    wanted = [d for d in docs if (status is None or d["filing_status"] == status)
              and (district is None or d["district_code"] == district)
              and (op is None or d["operator_type"] == op)]
    assert in_range == sorted(wanted, key=lambda d: (d["name"] or "", d["uscc"]))


statuses = st.sampled_from(["unfiled", "filed", "cancelled"])


@given(st.lists(st.tuples(st.integers(0, 4), st.none() | st.tuples(names, statuses)),
                max_size=25))
def test_kept_token_counts_moved_by_deltas_equal_counts_from_the_documents(changes):
    """Any sequence of documents appearing, renamed, changing status and removed: the counts
    moved by ``deltas`` are the number of current names holding each token, of any status
    and of each, and NAMED counts the names."""
    docs: dict[int, dict | None] = {}
    kept: dict[str, int] = {}
    for slot, change in changes:
        new = None if change is None else {"search_keys": search.name_tokens(change[0]),
                                           "filing_status": change[1]}
        for key, n in search.deltas(docs.get(slot), new).items():
            kept[key] = kept.get(key, 0) + n
        docs[slot] = new
    expected: dict[str, int] = {}
    for doc in docs.values():
        for token in set(doc["search_keys"] if doc else ()):
            for key in (token, search.scoped(token, doc["filing_status"])):
                expected[key] = expected.get(key, 0) + 1
    named = sum(1 for d in docs.values() if d and d["search_keys"])
    assert {t: n for t, n in kept.items() if n} == {**expected,
                                                     **({search.NAMED: named} if named else {})}


@given(st.lists(st.tuples(names, statuses), min_size=1, max_size=30), queries,
       st.none() | statuses)
def test_the_rarest_key_bounds_the_matches_and_single_keys_count_them_exactly(all_names, query,
                                                                              status):
    held: dict[str, int] = {}
    for n, of in all_names:
        for token in search.name_tokens(n):
            for key in (token, search.scoped(token, of)):
                held[key] = held.get(key, 0) + 1
    found = search.rarest(query, held, status)
    matches = sum(search.contains(n, query) for n, of in all_names if status in (None, of))
    if found is None:
        assert not search.query_keys(query)
        return
    assert found[1] >= matches
    if search.is_single_key(query):
        assert found[1] == matches


@given(st.one_of(st.none(), st.text(max_size=12)))
def test_name_tokens_are_a_fresh_list_of_each_key_once(name):
    """Kept between calls (a name is folded with each of its events), yet never shared: a
    caller changing its list changes no later answer."""
    first = search.name_tokens(name)
    assert first == [search.token(k) for k in search.name_keys(name)]
    first.append("changed")
    assert "changed" not in search.name_tokens(name)
