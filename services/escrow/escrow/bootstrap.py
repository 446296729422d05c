"""Composition root: build the escrow app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from escrow import api
from escrow.api import errors
from escrow.api.common import EXTENSION, Deps
from escrow.app.common import SERVICE, Policies
from escrow.config import load_rules
from escrow.domain.policy import PolicyVersion
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app

DESCRIPTION = ("养老机构预收费（押金、预收服务费、会员费）资金监管：辖区规则（按生效日期分版本）、"
               "监管专户、按上限审核申报、银行对账单导入与对账、缺口、退款与逾期。金额一律为整数分。")


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None,
               defaults: dict[str, PolicyVersion] | None = None) -> Flask:
    """Nothing connects here; MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    clock = clock or SystemClock()
    store = store or MongoEventStore(mongo.database(settings), SERVICE, clock)
    if defaults is None:
        defaults = load_rules(settings).default_policies()
    policies = Policies(store, defaults)
    deps = Deps(store=store, clock=clock, policies=policies)
    app = http_app.create_app(settings, api.blueprints(), title="Escrow API",
                              description=DESCRIPTION, extensions={EXTENSION: deps},
                              indexes=[store])
    errors.install(app)
    return app

