"""Composition root: build the inspection app with its dependencies passed by keyword."""

from __future__ import annotations

import threading

from flask import Flask, request
from pymongo.database import Database

from inspection import api
from inspection.adapters.directory import ObjectDirectory
from inspection.adapters.vault import Vault
from inspection.api import errors
from inspection.api.common import EXTENSION, Deps
from inspection.app.common import SERVICE
from inspection.config import load_rules
from inspection.domain.model import Rules
from inspection.domain.ports import WorkCalendar
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
               rules: Rules | None = None, db: Database | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    clock = clock or SystemClock()
    database = db if db is not None else mongo.database(settings)
    store = store or MongoEventStore(database, SERVICE, clock)
    deps = Deps(store=store, clock=clock, calendar=calendar or ChinaWorkCalendar(),
                rules=rules or load_rules(settings), directory=ObjectDirectory(database),
                vault=Vault(database))
    app = http_app.create_app(settings, api.blueprints(), title="Inspection API",
                              description=DESCRIPTION, extensions={EXTENSION: deps})
    errors.install(app)
    _ensure_indexes_once(app, deps)
    return app


def _ensure_indexes_once(app: Flask, deps: Deps) -> None:
    """Create indexes before the first API request (not at start-up)."""
    done, lock = threading.Event(), threading.Lock()
    ours = {bp.name for bp in api.blueprints()}

    @app.before_request
    def _indexes() -> None:
        if done.is_set() or request.blueprint not in ours:
            return
        with lock:
            if not done.is_set():
                ensure = getattr(deps.store, "ensure_indexes", None)
                if ensure is not None:
                    ensure()
                deps.directory.ensure_indexes()
                done.set()
