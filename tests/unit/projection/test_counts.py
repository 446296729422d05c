"""Kept counts equal counting the documents, whatever the changes."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from projection.domain.counts import count_key, deltas, facet_keys

docs = st.fixed_dictionaries({"filing_status": st.sampled_from(["filed", "cancelled", "unfiled"]),
                              "district_code": st.sampled_from(["500103", "500108", None]),
                              "operator_type": st.sampled_from(["public", "private"])})


@given(st.lists(st.tuples(st.integers(0, 5), st.one_of(st.none(), docs)), max_size=40))
def test_counts_kept_by_deltas_equal_counting_the_documents(changes):
    kept: Counter[str] = Counter()
    current: dict[int, dict] = {}
    for key, new in changes:
        for k, v in deltas(current.get(key), new).items():
            kept[k] += v
        if new is None:
            current.pop(key, None)
        else:
            current[key] = new
    for status in ("filed", "cancelled", "unfiled", None):
        for district in ("500103", "500108", None):
            for op in ("public", "private", None):
                expected = sum(1 for d in current.values()
                               if (status is None or d["filing_status"] == status)
                               and (district is None or d["district_code"] == district)
                               and (op is None or d["operator_type"] == op))
                assert kept[count_key(status, district, op)] == expected


def test_a_document_counts_towards_eight_distinct_keys():
    keys = facet_keys({"filing_status": "filed", "district_code": "500103",
                       "operator_type": "private"})
    assert len(set(keys)) == 8 and count_key(None, None, None) in keys


@given(st.fixed_dictionaries({}, optional={
    "filing_status": st.one_of(st.none(), st.just(""), st.text(max_size=8)),
    "district_code": st.one_of(st.none(), st.just(""), st.text(max_size=8)),
    "operator_type": st.one_of(st.none(), st.just(""), st.text(max_size=8))}))
def test_facet_keys_are_count_keys_of_each_combination_in_mask_order(doc):
    """The spelt-out facet_keys equals its definition: count_key of the kept values, for the
    masks in product order (the listing's order fields pair them with FIELDS by position)."""
    from itertools import product

    from projection.domain.counts import NONE
    from projection.domain.listing import FIELDS, MASKS, SEP, field_name, order_fields, sort_key

    values = [doc.get(f) or NONE for f in ("filing_status", "district_code", "operator_type")]
    expected = [count_key(*(v if keep else None for v, keep in zip(values, mask, strict=True)))
                for mask in product((True, False), repeat=3)]
    assert facet_keys(doc) == expected
    assert list(MASKS) == list(product((True, False), repeat=3))
    assert list(FIELDS) == [field_name(m) for m in MASKS]
    fields = order_fields({**doc, "uscc": "U", "name": "N"})
    assert [fields[f] for f in FIELDS] == [k + SEP + sort_key("N", "U") for k in expected]
