"""Composition root: build the registry app with its dependencies passed by keyword."""

from __future__ import annotations

import threading

from flask import Flask, request

from registry import api
from registry.api.common import EXTENSION, Deps
from registry.app.common import SERVICE
from registry.config import load_rules
from registry.domain.model import Rules
from registry.domain.ports import WorkCalendar
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
    app = http_app.create_app(settings, api.blueprints(), title="Registry API",
                              description=DESCRIPTION, extensions={EXTENSION: deps})
    _ensure_indexes_once(app, store)
    return app


def _ensure_indexes_once(app: Flask, store: EventStore) -> None:
    """Create the event-store indexes before the first API request (not at start-up)."""
    done, lock = threading.Event(), threading.Lock()
    ours = {bp.name for bp in api.blueprints()}

    @app.before_request
    def _indexes() -> None:
        if done.is_set() or request.blueprint not in ours:
            return
        with lock:
            if not done.is_set():
                ensure = getattr(store, "ensure_indexes", None)
                if ensure is not None:
                    ensure()
                done.set()
