"""Composition root: build the risk app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from risk import api
from risk.api.views import EXTENSION
from risk.app.common import SERVICE, Deps
from risk.config import load_rules
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app

DESCRIPTION = ("风险预警：汇集投诉、火灾隐患、资金缺口、退款逾期、合同集中终止、处罚与失信、"
               "疑似未备案等各部门事件，按可配置规则（信号、权重、时间窗口、阈值）给出红/橙/黄"
               "预警和机构风险等级；橙色以上预警由负责部门开展重点检查。")


def build_deps(settings: Settings, store: EventStore | None = None,
               clock: Clock | None = None) -> Deps:
    clock = clock or SystemClock()
    store = store or MongoEventStore(mongo.database(settings), SERVICE, clock)
    return Deps(store=store, clock=clock, rules=load_rules(settings))


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None) -> Flask:
    """Nothing connects here: MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    deps = build_deps(settings, store, clock)
    return http_app.create_app(settings, api.blueprints(), title="Risk API",
                               description=DESCRIPTION, extensions={EXTENSION: deps},
                               indexes=[deps.store])
