"""A rebuild from the inbox gives exactly the live read model and loses nothing meanwhile."""

from __future__ import annotations

import threading

from projection import rebuild as rebuild_cli
from projection.adapters import generations
from projection.rebuild import rebuild

from tests.integration.projection.helpers import applied, envelope, wait_until
from tests.unit.projection import samples as s


def history_events(first: int):
    """Several institutions at different points of their life."""
    a, b, c, d = (s.uscc(first + n) for n in range(4))
    return [
        *s.lifecycle(a),
        *s.lifecycle(b)[:2],
        s.event("EnterpriseRegistrationReceived", s.registration_received(c), 1,
                s.at("2026-01-06")),
        s.event("UnfiledOperationSuspected", s.suspected(c), 2, s.at("2026-02-04")),
        s.event("InstitutionFiled", s.filed(d, late=True), 1, s.at("2026-02-10")),
        s.event("EnterpriseRegistrationChanged",
                s.registration_changed(d, ["record.status"], status="suspended"), 2,
                s.at("2026-05-01")),
    ]


def documents(db, generation: int) -> list[dict]:
    return list(db[generations.collection_name(generation)].find({}).sort("_id", 1))


def expected(events) -> dict[str, int]:
    return {e.uscc: max(x.version for x in events if x.uscc == e.uscc) for e in events}


def test_rebuild_gives_exactly_the_live_documents(live, publish, db, capsys):
    events = history_events(60)
    publish(*[envelope(e) for e in events])
    wait_until(lambda: applied(db, expected(events)))
    old = generations.active_generation(db)
    new = rebuild(db, progress=True, keep=True)
    assert new == old + 1 and generations.active_generation(db) == new
    assert documents(db, new) == documents(db, old)
    assert len(documents(db, new)) == 4
    assert f"{len(events)}/{len(events)}" in capsys.readouterr().err  # the progress bar


def test_events_arriving_during_a_rebuild_reach_the_new_generation(live, publish, db):
    before, during = history_events(70), history_events(80)
    publish(*[envelope(e) for e in before])
    wait_until(lambda: applied(db, expected(before)))
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(rebuild(db, progress=False)))
    worker.start()
    publish(*[envelope(e) for e in during[:5]])
    wait_until(lambda: generations.active_generation(db) == 2)
    publish(*[envelope(e) for e in during[5:]])
    worker.join(60)
    assert done == [2] and generations.existing(db) == [2]  # the old generation is dropped
    wait_until(lambda: applied(db, expected(before + during)))
    live_docs = documents(db, 2)
    assert documents(db, rebuild(db, progress=False, keep=True, settle=0)) == live_docs


def test_command_line_rebuild_switches_the_configured_database(settings, db, apply_directly,
                                                               monkeypatch, capsys):
    apply_directly(*[envelope(e) for e in s.lifecycle(s.uscc(90))])
    monkeypatch.setenv("MONGODB_URI", settings.mongodb_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    assert rebuild_cli.main(["--quiet"]) == 0
    assert "pub_institutions_g2" in capsys.readouterr().out
    assert generations.existing(db) == [2]
    assert db["pub_institutions_g2"].find_one({"_id": s.uscc(90)})["_v"] == 4


def test_a_document_that_missed_versions_is_filled_from_the_inbox_in_order(db):
    from projection.projector import PROJECTOR, domain_event, uscc_of

    from shared.readside.apply import Applier
    from shared.readside.mongo import MongoReadStore
    from shared.readside.projector import to_event

    store = MongoReadStore(db)
    events = [to_event(env, uscc_of(env)) for env in map(envelope, s.lifecycle(s.uscc(95)))]
    store.keep(PROJECTOR, events[:-1])  # earlier versions reached the inbox, not the model
    Applier(store, PROJECTOR).apply(events[-1:])
    doc = generations.active_collection(db).find_one({"_id": s.uscc(95)})
    assert doc["_v"] == len(events)
    # every version was folded, in order: each public one moved the public version
    from projection.domain.institution import is_public
    assert doc["public_version"] == sum(is_public(domain_event(e)) for e in events)


def counted(db, generation: int) -> dict[str, int]:
    from projection.domain.counts import COUNTS

    return {d["_id"]: d["n"] for d in db[f"{COUNTS}_g{generation}"].find({}) if d["n"]}


def recounted(db, generation: int) -> dict[str, int]:
    from collections import Counter

    from projection.domain.counts import facet_keys

    return dict(Counter(k for d in documents(db, generation) for k in facet_keys(d)))


def test_facet_counts_follow_live_documents_and_each_generation_counts_its_own(live, publish,
                                                                                db):
    events = history_events(100)
    publish(*[envelope(e) for e in events])
    wait_until(lambda: applied(db, expected(events)))
    assert counted(db, 1) == recounted(db, 1) and counted(db, 1)["s=*|d=*|o=*"] == 4
    new = rebuild(db, progress=False, keep=True, settle=0)
    assert counted(db, new) == counted(db, 1)
    more = history_events(110)[:3]  # one more institution, cancelled after filing
    publish(*[envelope(e) for e in more])
    wait_until(lambda: applied(db, expected(more)))
    # a consumer keeps the pointer it read for a second: what it applied to the old
    # generation meanwhile reaches the new one when it notices the switch
    wait_until(lambda: counted(db, new).get("s=*|d=*|o=*") == 5)
    assert counted(db, new) == recounted(db, new)
