"""Composition root: build the registry app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from registry import api
from registry.api.common import EXTENSION, Deps
from registry.app.common import SERVICE
from registry.config import load_rules
from registry.domain.ports import WorkCalendar
from registry.domain.rules import Rules
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.workdays import WorkCalendar as ChinaWorkCalendar

DESCRIPTION = ("养老机构登记备案：市场监管企业登记推送、民政备案（回执、变更、注销）、"
               "经营范围含养老服务但未备案的定时检查。")


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None, calendar: WorkCalendar | None = None,
               rules: Rules | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    clock = clock or SystemClock()
    store = store or MongoEventStore(mongo.database(settings), SERVICE, clock)
    deps = Deps(store=store, clock=clock, calendar=calendar or ChinaWorkCalendar(),
                rules=rules or load_rules(settings))
    return http_app.create_app(settings, api.blueprints(), title="Registry API",
                               description=DESCRIPTION, extensions={EXTENSION: deps},
                               indexes=[store])

