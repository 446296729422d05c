"""Composition root: build the credit app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from credit import api
from credit.api.common import EXTENSION
from credit.app.common import SERVICE, Context
from credit.config import load_rules
from credit.domain.ports import WorkCalendar
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.workdays import WorkCalendar as ChinaWorkCalendar

DESCRIPTION = ("信用监管：行政处罚及其公示（公示期限、撤下、提前停止公示）、机构信用档案与"
               "A/B/C/D 信用等级、严重失信主体名单（提议—决定、移出、信用修复）、"
               "各部门联合惩戒措施的下达与执行。")


def build_context(settings: Settings, store: EventStore | None = None,
                  clock: Clock | None = None, calendar: WorkCalendar | None = None) -> Context:
    """The handlers' dependencies from settings; anything given replaces the default."""
    clock = clock or SystemClock()
    rules = load_rules(settings)
    return Context(store=store or MongoEventStore(mongo.database(settings), SERVICE, clock),
                   clock=clock, calendar=calendar or ChinaWorkCalendar(),
                   penalty_rules=rules.penalty, level_rules=rules.level,
                   listing_rules=rules.listing, id_salt=rules.id_salt)


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None, calendar: WorkCalendar | None = None,
               context: Context | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    ctx = context or build_context(settings, store, clock, calendar)
    return http_app.create_app(settings, api.blueprints(), title="Credit API",
                               description=DESCRIPTION, extensions={EXTENSION: ctx},
                               indexes=[ctx.store])

