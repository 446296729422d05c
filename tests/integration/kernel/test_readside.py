"""The read-side kernel, one suite over both stores: in memory and MongoDB (the stand-in or a
real server). A small ledger projection exercises every rule the kernel promises."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.readside.apply import Applier, apply_events, recount
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Event, Projection
from shared.readside.rebuild import rebuild
from shared.readside.store import MemoryStore, physical

DEPOSITED, TAGGED, NOTED = (f"eldercare.ledger.{n}.v1" for n in ("Deposited", "Tagged", "Noted"))
ACCOUNTS, TAGS, COUNTS = "led_accounts", "led_tags", "led_counts"


def _targets(e: Event):
    keys = [(ACCOUNTS, e.stream)]
    if e.name == "Tagged":
        keys.append((TAGS, e.data["tag"]))
    return keys


def _fold(docs, e: Event):
    account = docs[(ACCOUNTS, e.stream)] or {"balance": 0, "deposits": 0, "tag": "-"}
    if e.name == "Deposited":  # not idempotent on purpose: only the cursor and _v protect it
        return {(ACCOUNTS, e.stream): {**account, "balance": account["balance"] + e.data["n"],
                                       "deposits": account["deposits"] + 1}}
    return {(ACCOUNTS, e.stream): {**account, "tag": e.data["tag"]},
            (TAGS, e.data["tag"]): {"tag": e.data["tag"], "last": e.stream}}


def _derive(collection, old, new):
    moved = Counter()
    if collection == ACCOUNTS:
        for doc, sign in ((new, 1), (old, -1)):
            if doc is not None:
                moved[(COUNTS, f"tag={doc['tag']}")] += sign
    return dict(moved)


LEDGER = Projection(
    name="ledger", group="test.ledger", topics=("test.ledger",),
    event_types=frozenset({DEPOSITED, TAGGED}), inbox="led_inbox",
    collections={ACCOUNTS: ("tag",), TAGS: (), COUNTS: ()}, targets=_targets, fold=_fold,
    versioned=frozenset({ACCOUNTS}), counters=frozenset({COUNTS}), derive=_derive)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def ev(stream: str, version: int, kind: str = "Deposited", **data) -> Event:
    ce = {"Deposited": DEPOSITED, "Tagged": TAGGED, "Noted": NOTED}[kind]
    data = data or ({"n": version} if kind == "Deposited" else {})
    return Event(id=f"{stream}/{version}", stream=stream, version=version, type=ce, data=data,
                 time=T0 + timedelta(minutes=version), subject=stream)


@pytest.fixture(params=["memory", "mongo"])
def store(request):
    if request.param == "memory":
        yield MemoryStore()
        return
    client = request.getfixturevalue("mongo_client")
    name = f"rs_{request.getfixturevalue('unique')}"
    yield MongoReadStore(client[name])
    client.drop_database(name)


def docs(store, collection, generation=1):
    return {d["_id"]: {k: v for k, v in d.items() if k != "_id"}
            for d in store.all_docs(LEDGER, generation, collection)}


def counts(store, generation=1):
    return {k: d["n"] for k, d in docs(store, COUNTS, generation).items() if d["n"]}


def test_a_batch_is_folded_per_stream_and_a_redelivery_changes_nothing(store):
    store.prepare(LEDGER, 1)
    batch = [ev("a", 1), ev("b", 1), ev("a", 2), ev("a", 2), ev("a", 3)]
    outcome = apply_events(store, LEDGER, 1, batch)
    assert (outcome.applied, outcome.duplicates) == (4, 1)
    apply_events(store, LEDGER, 1, batch)  # the whole batch again
    assert docs(store, ACCOUNTS) == {"a": {"balance": 6, "deposits": 3, "tag": "-", "_v": 3},
                                     "b": {"balance": 1, "deposits": 1, "tag": "-", "_v": 1}}
    assert store.cursors(LEDGER, 1, ["a", "b"]) == {"a": (3, 0), "b": (1, 0)}
    assert store.inbox_size(LEDGER) == 4


def test_a_version_ahead_of_a_missing_one_is_held_until_it_arrives(store):
    apply_events(store, LEDGER, 1, [ev("a", 1)])
    held = apply_events(store, LEDGER, 1, [ev("a", 3), ev("a", 4)])
    assert (held.applied, held.held) == (0, 2) and docs(store, ACCOUNTS)["a"]["_v"] == 1
    filled = apply_events(store, LEDGER, 1, [ev("a", 2)])
    assert filled.applied == 3
    assert docs(store, ACCOUNTS)["a"] == {"balance": 10, "deposits": 4, "tag": "-", "_v": 4}


def test_events_it_does_not_take_only_advance_the_cursor(store):
    apply_events(store, LEDGER, 1, [ev("a", 1), ev("a", 2, "Noted", x=1), ev("a", 3)])
    assert docs(store, ACCOUNTS)["a"]["_v"] == 3 and docs(store, ACCOUNTS)["a"]["balance"] == 4
    assert store.cursors(LEDGER, 1, ["a"]) == {"a": (3, 0)}


class CursorCrash(Exception):
    pass


def test_a_crash_after_the_documents_before_the_cursors_is_safe_to_retry(store, monkeypatch):
    apply_events(store, LEDGER, 1, [ev("a", 1), ev("a", 2, "Tagged", tag="x")])

    def crash(*args, **kwargs):
        raise CursorCrash

    with monkeypatch.context() as m:
        m.setattr(store, "set_cursors", crash)
        with pytest.raises(CursorCrash):
            apply_events(store, LEDGER, 1, [ev("a", 3), ev("b", 1)])
    apply_events(store, LEDGER, 1, [ev("a", 3), ev("b", 1)])  # the redelivery
    assert docs(store, ACCOUNTS)["a"] == {"balance": 4, "deposits": 2, "tag": "x", "_v": 3}
    assert docs(store, ACCOUNTS)["b"]["deposits"] == 1
    assert counts(store) == {"tag=x": 1, "tag=-": 1}


def test_counters_move_with_the_documents_and_recount_agrees(store):
    apply_events(store, LEDGER, 1, [ev("a", 1), ev("b", 1), ev("c", 1),
                                    ev("a", 2, "Tagged", tag="x"), ev("b", 2, "Tagged", tag="x")])
    apply_events(store, LEDGER, 1, [ev("b", 3, "Tagged", tag="y")])
    assert counts(store) == {"tag=x": 1, "tag=y": 1, "tag=-": 1}
    store.increment(LEDGER, 1, {(COUNTS, "tag=x"): 5})  # drift, as after a crash
    recount(store, LEDGER, 1)
    assert counts(store) == {"tag=x": 1, "tag=y": 1, "tag=-": 1}
    assert docs(store, TAGS) == {"x": {"tag": "x", "last": "b"}, "y": {"tag": "y", "last": "b"}}


def streams_strategy():
    kinds = st.sampled_from(["Deposited", "Deposited", "Tagged", "Noted"])
    return st.dictionaries(st.sampled_from("abcd"), st.lists(kinds, min_size=1, max_size=6),
                           min_size=1)


def _events(plan):
    out = {}
    for stream, kinds in plan.items():
        out[stream] = [ev(stream, v, k, **({"tag": f"t{v % 3}"} if k == "Tagged" else {}))
                       for v, k in enumerate(kinds, 1)]
    return out


def _deliveries(per_stream, rnd):
    """Streams interleaved, each in order, with redeliveries of earlier stretches."""
    queues = {s: list(evs) for s, evs in per_stream.items()}
    sent: list[Event] = []
    while any(queues.values()):
        s = rnd.choice([k for k, q in queues.items() if q])
        sent.append(queues[s].pop(0))
        if rnd.random() < 0.2:
            sent.extend(sent[rnd.randrange(len(sent)):])
    return sent


def _empty(store) -> None:
    """The ledger as if new (hypothesis runs many examples on one store)."""
    for g in store.generations(LEDGER):
        store.drop(LEDGER, g)
    store.switch(LEDGER, 1, T0)
    if isinstance(store, MemoryStore):
        store.received.clear()
    else:
        store.db[LEDGER.inbox].delete_many({})


def _reference(per_stream):
    final = {}
    for stream, evs in per_stream.items():
        doc = None
        for e in evs:
            if e.type in LEDGER.event_types:
                doc = _fold({(ACCOUNTS, stream): doc, (TAGS, e.data.get("tag", "")): None},
                            e)[(ACCOUNTS, stream)]
        if doc is not None:  # _v: the last version folded into it
            final[stream] = {**doc, "_v": max(x.version for x in evs
                                              if x.type in LEDGER.event_types)}
    return final


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=streams_strategy(), seed=st.integers(0, 10_000), size=st.integers(1, 7),
       chunk=st.integers(1, 6))
def test_any_batching_with_redeliveries_gives_the_fold_of_each_stream_once(store, plan, seed,
                                                                           size, chunk):
    """Invariant: documents = each stream folded once in order; counters = a recount; a
    rebuild, whatever its chunks (each chunk's documents written while the next is folded),
    gives the same documents and counters, its cursors are each stream's last version, and a
    document several streams change (a tag's) ends as the inbox's order leaves it."""
    _empty(store)
    per_stream = _events(plan)
    sent = _deliveries(per_stream, random.Random(seed))
    for start in range(0, len(sent), size):
        apply_events(store, LEDGER, 1, sent[start:start + size])
    live, live_counts = docs(store, ACCOUNTS), counts(store)
    assert live == _reference(per_stream)
    recount(store, LEDGER, 1)
    assert counts(store) == live_counts
    new = rebuild(store, LEDGER, progress=False, settle=0, chunk=chunk)
    assert docs(store, ACCOUNTS, new) == live and counts(store, new) == live_counts
    cursors = store.cursors(LEDGER, new, per_stream)
    assert cursors == {s: (evs[-1].version, 0) for s, evs in per_stream.items() if evs}
    last_tagger = {e.data["tag"]: s for s in sorted(per_stream) for e in per_stream[s]
                   if e.type == TAGGED}
    assert {t: d["last"] for t, d in docs(store, TAGS, new).items()} == last_tagger


def test_rebuild_writes_a_new_generation_switches_and_drops_the_old(store, capsys):
    apply_events(store, LEDGER, 1, [ev(s, v) for s in "abc" for v in (1, 2)]
                 + [ev("a", 3, "Tagged", tag="x")])
    live = docs(store, ACCOUNTS)
    assert rebuild(store, LEDGER, progress=True, settle=0) == 2
    assert store.active(LEDGER)[0] == 2 and store.generations(LEDGER) == [2]
    assert docs(store, ACCOUNTS, 2) == live and counts(store, 2) == {"tag=x": 1, "tag=-": 2}
    assert "7/7" in capsys.readouterr().err


def test_what_live_consumption_wrote_to_the_old_generation_reaches_the_new_one(store):
    applier = Applier(store, LEDGER)
    applier.apply([ev("a", 1), ev("b", 1)])
    new = rebuild(store, LEDGER, progress=False, keep=True, settle=0)
    # a batch that still went to the old generation after the rebuild's catch-up
    apply_events(store, LEDGER, 1, [ev("a", 2), ev("c", 1)])
    assert docs(store, ACCOUNTS, new)["a"]["_v"] == 1
    applier.apply([ev("b", 2)])  # the consumer's next batch sees the switch
    assert {k: d["_v"] for k, d in docs(store, ACCOUNTS, new).items()} == {"a": 2, "b": 2,
                                                                           "c": 1}
    assert counts(store, new) == {"tag=-": 3}


def test_generation_collections_are_named_per_generation():
    assert physical("pub_institutions", 3) == "pub_institutions_g3"


def _tolerant_fold(docs, e: Event):
    """The ledger's fold after a fix: a deposit whose amount is not a number counts 0."""
    n = e.data.get("n")
    return _fold(docs, e if isinstance(n, int) else Event(
        e.id, e.stream, e.version, e.type, {"n": 0}, e.time, e.subject))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(poison=st.dictionaries(st.sampled_from("abc"), st.integers(1, 5), max_size=2),
       seed=st.integers(0, 10_000), size=st.integers(1, 6))
def test_a_poison_event_waits_with_its_stream_and_never_stops_the_others(store, poison, seed,
                                                                        size):
    """An event the fold cannot take (an amount that is not a number): in any batching with
    redeliveries, its stream is folded exactly up to the version before it and waits there,
    quarantined with the reason; every other stream is folded whole; once the projection is
    fixed, the next delivery of that stream folds the rest, in order."""
    from shared.readside.apply import quarantined

    _empty(store)
    per_stream = {s: [ev(s, v, n="x" if poison.get(s) == v else v) for v in range(1, 6)]
                  for s in "abc"}
    sent = _deliveries(per_stream, random.Random(seed))
    reported = set()
    for start in range(0, len(sent), size):
        outcome = apply_events(store, LEDGER, 1, sent[start:start + size])
        reported |= {(e.stream, e.version) for e, _ in outcome.poisoned}
    expected = _reference({s: [e for e in evs if e.version < poison.get(s, 99)]
                           for s, evs in per_stream.items()})
    assert docs(store, ACCOUNTS) == expected
    assert reported == set(poison.items())
    waiting = quarantined(store, LEDGER)
    assert {(d["stream"], d["version"]) for d in waiting} == set(poison.items())
    assert all("fold: TypeError" in d["reason"] for d in waiting)
    fixed = Projection(**{**LEDGER.__dict__, "fold": _tolerant_fold})
    for s in poison:  # a redelivery of the stream's last event after the fix
        apply_events(store, fixed, 1, [per_stream[s][-1]])
    assert {s: d["_v"] for s, d in docs(store, ACCOUNTS).items()} == dict.fromkeys("abc", 5)
    assert quarantined(store, fixed) == []
