"""The dashboard's counters always equal the sum of the current facts' values, whatever
sequence of changes (and repeats) the facts went through."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from projection.features.dashboard.fold import counter_key, deltas, fact

facts = st.one_of(st.none(), st.builds(
    fact, st.sampled_from(["filings", "hazards_found", "", "deposit_exposure_fen"]),
    st.sampled_from(["500103", "500108", ""]), st.sampled_from(["2026-10-01", "2026-11-05"]),
    st.integers(0, 10**7)))


@given(history=st.lists(st.tuples(st.integers(0, 3), facts), max_size=30))
def test_counters_equal_the_sum_of_the_current_facts(history):
    current: dict[int, dict | None] = {}
    counters: Counter[str] = Counter()
    for key, new in history:
        for k, n in deltas(current.get(key), new).items():
            counters[k] += n
        current[key] = new
    expected: Counter[str] = Counter()
    for doc in current.values():
        k = counter_key(doc)
        if k is not None:
            expected[k] += doc["value"]
    assert +counters == +expected
    assert deltas(None, None) == {}
