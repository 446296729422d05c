"""Composition root: build the inspection app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask
from pymongo.database import Database

from inspection import api
from inspection.adapters import beacon as beacons
from inspection.adapters.directory import MongoObjectDirectory
from inspection.adapters.vault import MongoVault
from inspection.api import errors
from inspection.api.common import EXTENSION, Deps
from inspection.app.common import SERVICE
from inspection.app.ports import Beacon
from inspection.config import load_rules
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.workdays import WorkCalendar as ChinaWorkCalendar

DESCRIPTION = ("双随机一公开：检查对象名录（来自登记与信用事件）、执法检查人员名录、抽查事项清单、"
               "抽查计划、可公开核验的抽取（种子承诺 + 名录快照哈希）、检查任务与结果公开。")


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None, calendar: WorkCalendar | None = None,
               rules: Rules | None = None, db: Database | None = None,
               beacon: Beacon | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request. The draw's
    public value comes from the transparency log (``beacon``; by default its public API at
    ELDERCARE_TRANSLOG_URL)."""
    settings = settings or Settings.from_env(SERVICE)
    clock = clock or SystemClock()
    database = db if db is not None else mongo.database(settings)
    store = store or MongoEventStore(database, SERVICE, clock)
    rules = rules or load_rules(settings)
    deps = Deps(store=store, clock=clock, calendar=calendar or ChinaWorkCalendar(), rules=rules,
                directory=MongoObjectDirectory(database, rules.unassessed_credit_level),
                vault=MongoVault(database),
                beacon=beacon or beacons.from_settings(settings.extra))
    app = http_app.create_app(settings, api.blueprints(), title="Inspection API",
                              description=DESCRIPTION, extensions={EXTENSION: deps},
                              indexes=[store, deps.directory])
    errors.install(app)
    return app

