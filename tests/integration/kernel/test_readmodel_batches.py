"""shared.readmodel.apply_many on the real server: whatever the batching and however often
events are redelivered, the documents end as if each event had been applied once, in stream
order (``$set``/``$unset`` folded, the later wins), and ``_v`` is the last version."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.readmodel import apply_many

FIELDS = ("a", "b", "c")
update = st.one_of(
    st.fixed_dictionaries({"$set": st.dictionaries(st.sampled_from(FIELDS),
                                                   st.integers(0, 9), min_size=1)}),
    st.fixed_dictionaries({"$unset": st.dictionaries(st.sampled_from(FIELDS),
                                                     st.just(""), min_size=1)}),
    st.just({}),  # an event the model only counts (the version moves on)
)
streams = st.dictionaries(st.sampled_from(("d1", "d2", "d3")),
                          st.lists(update, min_size=1, max_size=6), min_size=1)


def expected(events: dict[str, list[dict]]) -> dict[str, dict]:
    out = {}
    for doc, updates in events.items():
        d: dict = {}
        for u in updates:
            for k, v in u.get("$set", {}).items():
                d[k] = v
            for k in u.get("$unset", {}):
                d.pop(k, None)
        out[doc] = {**d, "_v": len(updates)}
    return out


@pytest.fixture()
def coll(mongo_client, unique):
    db = mongo_client[f"rm_{unique}"]
    yield db
    mongo_client.drop_database(db.name)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=streams, data=st.data())
def test_batches_with_redeliveries_equal_each_event_once(coll, events, data) -> None:
    c = coll[f"docs_{uuid.uuid4().hex}"]  # a fresh collection per example
    changes = [(doc, v, u) for doc, updates in events.items()
               for v, u in enumerate(updates, start=1)]
    # delivered in stream order per document, interleaved across documents; some twice
    # (the copy right behind, so in the same batch or, after a cut, in the next one)
    delivered = []
    per_doc = {doc: [ch for ch in changes if ch[0] == doc] for doc in events}
    while any(per_doc.values()):
        doc = data.draw(st.sampled_from(sorted(d for d, v in per_doc.items() if v)))
        ch = per_doc[doc].pop(0)
        delivered.append(ch)
        if data.draw(st.booleans()):
            delivered.append(ch)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(delivered) - 1)), max_size=4)))
    applied = 0
    for lo, hi in zip([0, *cuts], [*cuts, len(delivered)], strict=True):
        applied += apply_many(c, delivered[lo:hi])
    assert applied == len(changes)
    got = {d["_id"]: {k: v for k, v in d.items() if k != "_id"} for d in c.find({})}
    assert got == expected(events)
    assert apply_many(c, delivered) == 0  # everything again: nothing changes
    assert {d["_id"]: d["_v"] for d in c.find({})} == {k: len(v) for k, v in events.items()}
