"""Composition root: build the fire-safety app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from fire_safety import api
from fire_safety.api.common import EXTENSION
from fire_safety.app.common import SERVICE
from fire_safety.app.inspections import Deps
from fire_safety.config import load_rules
from fire_safety.domain.ports import WorkCalendar
from fire_safety.domain.rules import Rules
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.workdays import WorkCalendar as ChinaWorkCalendar

DESCRIPTION = ("养老机构消防安全监管：检查表（版本化）、消防检查（≥2 名检查人员）、"
               "一般/重大火灾隐患（集体判定、专家组）、责令限期改正（3 个工作日内送达）、"
               "延期一次、复查（期限届满后 3 个工作日内）、逾期、临时查封。")


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None, calendar: WorkCalendar | None = None,
               rules: Rules | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    clock = clock or SystemClock()
    store = store or MongoEventStore(mongo.database(settings), SERVICE, clock)
    deps = Deps(store=store, clock=clock, calendar=calendar or ChinaWorkCalendar(),
                rules=rules or load_rules(settings))
    return http_app.create_app(settings, api.blueprints(), title="Fire Safety API",
                               description=DESCRIPTION, extensions={EXTENSION: deps},
                               indexes=[store])

