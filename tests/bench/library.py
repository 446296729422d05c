"""(e) Command handling and (f) rebuild against the Python ``eventsourcing`` library.

Both sides do the same work in the same process:

* commands: N institutions filed. Ours: registry's ``file_institution`` (decide with the
  filing rules, build and validate envelopes, append) on ``InMemoryEventStore``. Theirs: an
  aggregate with the same fields created and saved by an ``Application`` on its in-memory
  (POPO) persistence.
* rebuild: N registry events (registration, filing, change, cancellation per institution).
  Ours: the projection's rebuild from its inbox on MongoDB, through ``rebuild_projection``.
  Theirs: every stored event read back from SQLite, turned into a domain event and folded
  into its aggregate.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from pymongo.database import Database

from tests.bench.common import BenchEnv, Pair, rate

PAGE = 1000  # notifications read per select, like our inbox's cursor batches
USCC_NAMESPACE = uuid.UUID("6f1c3a52-1d0e-4c55-9a53-0b0f6c1e7a10")


class Institution(Aggregate):
    """The library's twin of registry's filed institution (FilingDetails plus receipt)."""

    @event("Filed")
    def __init__(self, uscc: str, name: str, address: str, district_code: str,
                 legal_representative: str, operator_type: str, premises_ownership: str,
                 beds: int, nursing_beds: int, floor_area_m2: float, contact_name: str,
                 contact_phone: str, first_admission_date: str | None, filed_on: str,
                 receipt_no: str) -> None:
        self.uscc, self.name, self.address = uscc, name, address
        self.district_code, self.legal_representative = district_code, legal_representative
        self.operator_type, self.premises_ownership = operator_type, premises_ownership
        self.beds, self.nursing_beds, self.floor_area_m2 = beds, nursing_beds, floor_area_m2
        self.contact_name, self.contact_phone = contact_name, contact_phone
        self.first_admission_date, self.filed_on = first_admission_date, filed_on
        self.receipt_no, self.status = receipt_no, "filed"
        self.registration: dict[str, Any] = {}

    @classmethod
    def create_id(cls, uscc: str, **_: Any) -> uuid.UUID:
        """One aggregate per USCC, as our stream id institution-<USCC>."""
        return uuid.uuid5(USCC_NAMESPACE, uscc)

    @event("RegistrationReceived")
    def receive_registration(self, record: dict[str, Any]) -> None:
        self.registration = record

    @event("FilingChanged")
    def change(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    @event("Cancelled")
    def cancel(self, reason: str) -> None:
        self.status, self.cancel_reason = "cancelled", reason


# --- (e) command handling -------------------------------------------------------------------

def bench_commands(env: BenchEnv, repeat: int) -> list[Pair]:
    """File ``BENCH_COMMAND_N`` institutions on each side, fresh stores, order alternated."""
    n = env.sizes.command
    usccs = [_uscc(repeat * n + i) for i in range(n)]
    runs = {"ours": lambda: rate(n, lambda: _file_ours(usccs)),
            "lib": lambda: rate(n, lambda: _file_library(usccs))}
    order = ["ours", "lib"] if repeat % 2 == 0 else ["lib", "ours"]
    rates = {name: runs[name]() for name in order}
    return [Pair("file_institution on InMemoryEventStore", "eventsourcing Application (POPO)",
                 rates["ours"], rates["lib"])]


def _uscc(n: int) -> str:
    from stdnum.cn import uscc as uscc_code

    body = f"91500103MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def _details() -> Any:
    from registry.domain.model import FilingDetails

    return FilingDetails(
        name="重庆市渝中区康乐养老院", address="重庆市渝中区解放碑街道民族路 1 号",
        district_code="500103", legal_representative="张伟", operator_type="private_profit",
        premises_ownership="leased", beds=60, nursing_beds=30, floor_area_m2=2400.0,
        contact_name="王芳", contact_phone="023-63000001",
        first_admission_date=date(2026, 11, 16))


def _file_ours(usccs: list[str]) -> None:
    from registry.app.file_institution import file_institution
    from registry.domain.rules import Rules

    from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
    from shared.clock import SystemClock
    from shared.eventstore import CommitMeta, InMemoryEventStore
    from shared.workdays import WorkCalendar

    clock = SystemClock()
    store, calendar, rules = InMemoryEventStore("registry", clock), WorkCalendar(), Rules()
    details = _details()
    # a verified official of civil affairs, as the HTTP layer builds from a token
    official = Authority("bench", "civil_affairs", (NATIONAL,), BUSINESS_DUTIES)
    for i, uscc in enumerate(usccs):
        meta = CommitMeta.of(official, f"bench-{i}")
        handled = file_institution(uscc, details, store=store, clock=clock, calendar=calendar,
                                   rules=rules, meta=meta)
        if handled.version != 1:
            raise RuntimeError(f"{uscc} was not filed")


def _file_library(usccs: list[str]) -> None:
    from shared.clock import SystemClock, china_today

    app: Application = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    data = _details().to_data()
    clock = SystemClock()
    for i, uscc in enumerate(usccs):
        today = china_today(clock).isoformat()
        app.save(Institution(uscc=uscc, **data, filed_on=today, receipt_no=f"渝民养备 {i}"))


# --- (f) rebuild ------------------------------------------------------------------------------

def rebuild_projection(db: Database) -> None:
    """The one call site of our rebuild: the read-side kernel's rebuild of the directory
    (a new generation folded in memory and written in bulk, then the pointer switched)."""
    from projection.rebuild import rebuild

    rebuild(db, progress=False, keep=True, settle=0)


def bench_rebuild(env: BenchEnv, repeat: int) -> list[Pair]:
    """The same events rebuilt by our projection (MongoDB) and replayed by the library (SQLite)."""
    institutions = max(1, env.sizes.rebuild // 4)
    events = institutions * 4
    usccs = [_uscc(10_000_000 + repeat * institutions + i) for i in range(institutions)]
    db = env.database(f"rebuild_r{repeat}")
    _fill_inbox(db, usccs)
    rebuild_projection(db)  # untimed: the documents the raw baseline writes, and a warm-up
    written = _generation_docs(db)
    with tempfile.TemporaryDirectory(prefix="bench-es-") as tmp:
        app = _sqlite_app(Path(tmp) / "events.sqlite")
        _fill_library(app, usccs)
        runs = {"ours": lambda: rate(events, lambda: rebuild_projection(db)),
                "lib": lambda: rate(events, lambda: _replay(app, events)),
                "raw": lambda: rate(events, lambda: _raw_rebuild(db, written))}
        order = ["ours", "lib", "raw"] if repeat % 2 == 0 else ["raw", "lib", "ours"]
        rates = {name: runs[name]() for name in order}
        app.close()
    _check_rebuilt(db, usccs)
    return [Pair("projection rebuild (inbox -> directory)", "eventsourcing replay from SQLite",
                 rates["ours"], rates["lib"]),
            Pair("projection rebuild (inbox -> directory)",
                 "raw: read inbox, insert_many its docs, index", rates["ours"], rates["raw"])]


def _generation_docs(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every collection of the active generation of the directory, with its documents."""
    from projection.adapters import generations

    suffix = generations.collection_name(generations.active_generation(db, fresh=True))
    suffix = suffix[suffix.rindex("_g"):]
    return {name: list(db[name].find({})) for name in db.list_collection_names()
            if name.endswith(suffix)}


def _raw_rebuild(db: Database, written: dict[str, list[dict[str, Any]]]) -> None:
    """The floor of a rebuild on this server in raw drivers: the whole inbox read, the
    documents our rebuild wrote inserted in bulk into scratch collections, then the same
    single-field indexes made (no folding at all)."""
    from projection.projector import PROJECTOR

    for _ in db[PROJECTOR.inbox].find({}).sort("skey", 1):
        pass
    for name, docs in written.items():
        scratch = db[f"raw_{name}"]
        scratch.drop()
        if docs:
            scratch.insert_many(docs, ordered=False)
    for logical, keys in PROJECTOR.collections.items():
        for name in written:
            if name.startswith(f"{logical}_g"):
                for key in keys:
                    db[f"raw_{name}"].create_index(key)


def _fill_inbox(db: Database, usccs: list[str]) -> None:
    """The directory's inbox as live consumption leaves it (kept in batches of streams)."""
    from projection.projector import PROJECTOR

    from shared.readside.mongo import MongoReadStore
    from shared.readside.projector import to_event
    from tests.integration.projection.helpers import envelope
    from tests.unit.projection import samples

    store = MongoReadStore(db)
    store.prepare(PROJECTOR, store.active(PROJECTOR)[0])
    batch = []
    for uscc in usccs:
        for e in samples.lifecycle(uscc):
            env = envelope(e)
            batch.append(to_event(env, PROJECTOR.stream_of(env)))
        if len(batch) >= 2000:
            store.keep(PROJECTOR, batch)
            batch = []
    if batch:
        store.keep(PROJECTOR, batch)


def _check_rebuilt(db: Database, usccs: list[str]) -> None:
    from projection.adapters import generations

    coll = db[generations.collection_name(generations.active_generation(db))]
    if coll.count_documents({"_v": 4}) != len(usccs):
        raise RuntimeError("the rebuilt directory does not hold every institution at version 4")


def _sqlite_app(path: Path) -> Application:
    return Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                            "SQLITE_DBNAME": str(path)})


def _fill_library(app: Application, usccs: list[str]) -> None:
    """The same four events per institution, with the same payloads as the inbox's."""
    from tests.unit.projection import samples

    for i, uscc in enumerate(usccs):
        registered, filed, changed, cancelled = (e.data for e in samples.lifecycle(uscc))
        filing = filed["filing"]
        agg = Institution(uscc=uscc, **filing, filed_on=filed["filed_on"],
                          receipt_no=filed["receipt_no"] or f"r{i}")
        agg.receive_registration(registered["record"])
        agg.change({k: changed["filing"][k] for k in changed["changed_fields"]})
        agg.cancel(cancelled.get("reason", ""))
        app.save(agg)


def _replay(app: Application, expected: int) -> None:
    """Read every notification in pages, map it to a domain event, fold it into its aggregate."""
    aggregates: dict[uuid.UUID, Any] = {}
    start, seen = 1, 0
    while True:
        page = app.recorder.select_notifications(start, PAGE)
        if not page:
            break
        for notification in page:
            domain_event = app.mapper.to_domain_event(notification)
            aggregates[domain_event.originator_id] = domain_event.mutate(
                aggregates.get(domain_event.originator_id))
        seen += len(page)
        start = page[-1].id + 1
    if seen != expected or any(a.status != "cancelled" for a in aggregates.values()):
        raise RuntimeError(f"the library replayed {seen} of {expected} events")
