"""The fire-safety feature on real Kafka and MongoDB, with events made by the real service code."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from fire_safety.app import hazards, inspections
from fire_safety.app.check_overdue import check_overdue
from fire_safety.app.officials import register_official
from fire_safety.domain.checklist import DEFAULT_ITEMS, Template
from fire_safety.domain.inspection import RecordItem, StartInspection
from fire_safety.domain.model import Inspector
from fire_safety.domain.officials import Official, RegisterOfficial
from fire_safety.domain.rectification import OrderRectification, RecordReinspection
from fire_safety.domain.rules import Rules
from projection import features
from projection.bootstrap import create_app
from projection.features.fire_safety import FEATURE
from projection.features.fire_safety.pages import CLOCK
from projection.features.fire_safety.projector import PROJECTOR

from shared import kafka
from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
from shared.clock import FixedClock
from shared.config import DEAD_LETTER_TOPIC, Settings
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from shared.workdays import WorkCalendar
from tests.support import Projected
from tests.unit.fire_safety.builders import BOARD, MONDAY, china_noon, make_uscc

USCC = make_uscc(21)
HAZARD = "FI-P1.exits_routes"
LIGHTS = "FI-P1.emergency_lighting_signs"
META = CommitMeta.of(Authority("fr-001", "fire_rescue", (NATIONAL,), BUSINESS_DUTIES), "c")


class Service:
    """The fire-safety service's handlers on an in-memory store, with a clock tests move."""

    def __init__(self) -> None:
        self.clock = FixedClock(china_noon(MONDAY))
        self.store = InMemoryEventStore("fire_safety", self.clock)
        self.deps = inspections.Deps(self.store, self.clock, WorkCalendar(), Rules())
        for login in BOARD:  # the collective determination names registered officers
            register_official(RegisterOfficial(Official(login, "fire_rescue", "500103"),
                                               "fire_rescue"), store=self.store, meta=META)

    def inspect(self) -> None:
        start = StartInspection("FI-P1", USCC, "安康养老院", "fire_supervision", MONDAY,
                                (Inspector("fr-001", "fire_rescue"),
                                 Inspector("fr-002", "fire_rescue")), None,
                                Template("", 0, "", ()), "fire_rescue", MONDAY)
        fails = {"exits_routes": RecordItem("FI-P1", "exits_routes", "fail", "通道上锁",
                                            "major", BOARD),
                 "emergency_lighting_signs": RecordItem("FI-P1", "emergency_lighting_signs",
                                                        "fail", "指示灯损坏", "general")}
        new = inspections.NewInspection(start, "fire-default", None)
        items = [fails.get(i.code, RecordItem("FI-P1", i.code, "pass", "")) for i in
                 DEFAULT_ITEMS]
        inspections.start_inspection(new, items, False, deps=self.deps, meta=META)
        for member in BOARD:  # each member of the collective determination, from their own
            own = CommitMeta.of(Authority(member, "fire_rescue", (NATIONAL,), BUSINESS_DUTIES),
                                f"c-{member}")
            inspections.confirm_determination("FI-P1", "exits_routes", True, deps=self.deps,
                                              meta=own)
        inspections.record_items("FI-P1", [], True, deps=self.deps, meta=META)

    def order(self, hazard: str = HAZARD, workdays: int = 5) -> None:
        hazards.handle(OrderRectification(hazard, workdays, MONDAY, "", MONDAY), deps=self.deps,
                       meta=META)

    def check(self, day: date) -> None:
        self.clock.set(china_noon(day))
        check_overdue(deps=self.deps, meta=META)

    def verify(self, day: date) -> None:
        hazards.handle(RecordReinspection(HAZARD, "fixed", ("fr-001", "fr-002"), "", day, day),
                       deps=self.deps, meta=META)

    def take(self):
        """Envelopes not yet handed out, in store order (what the relay would publish)."""
        commits = self.store.unpublished()
        self.store.mark_published([c.commit_id for c in commits])
        return [e for c in commits for e in c.events]


@pytest.fixture()
def service() -> Service:
    return Service()


@pytest.fixture()
def settings(infra, unique):
    return Settings(service="projection", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"tpf_{unique}_")


@pytest.fixture()
def db(mongo_client, settings):
    database = mongo_client[settings.database]
    Projected(database, PROJECTOR).prepare()
    yield database
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def page_clock() -> FixedClock:
    return FixedClock(china_noon(MONDAY))


@pytest.fixture()
def client(settings, db, monkeypatch, page_clock):
    # only this feature: others may be half-built in the same tree
    monkeypatch.setattr(features, "discover", lambda: [FEATURE])
    app = create_app(settings, db=db)
    app.extensions[CLOCK] = page_clock
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture()
def topic(infra, unique):
    name = f"test.fire_safety.{unique}"
    kafka.ensure_topics(infra.kafka, [name, DEAD_LETTER_TOPIC], 3)
    return name


@pytest.fixture()
def publish(infra, topic):
    producer = kafka.producer(infra.kafka)

    def send(envelopes):
        for env in envelopes:
            producer.produce(topic, key=env.subject, value=env.value(), headers=env.headers())
        assert producer.flush(15) == 0

    yield send
    producer.close()


@pytest.fixture()
def live(settings, db, topic, unique):
    group = f"projection.fire-test.{unique}"
    consumer = ProjectionConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=True),
                                  PROJECTOR, MongoReadStore(db),
                                  kafka.producer(settings.kafka_bootstrap), topics=[topic],
                                  group=group)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    yield consumer
    stop.set()
    thread.join(15)
    consumer.dead_letters.close()
    assert not thread.is_alive()
