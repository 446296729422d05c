"""Composition root: build the complaints app with its dependencies passed by keyword."""

from __future__ import annotations

from flask import Flask

from complaints import api
from complaints.adapters import MongoKeys
from complaints.api.common import EXTENSION
from complaints.app.common import SERVICE, Deps
from complaints.app.secrets import Secrets
from complaints.app.vault import KeyTable, Vault
from complaints.config import PUBLIC_RATE, PUBLIC_RATE_ENV, load_rules
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.http import limits
from shared.workdays import WorkCalendar

DESCRIPTION = ("群众投诉举报：公开表单与 12345/12349 热线接入，按类别和区县分派给承办部门，"
               "受理、转办、调查、答复、办结各有工作日期限；投诉人的联系方式和投诉内容"
               "按件加密（密钥另存，删除密钥即永久删除），只有承办部门可见。")
VAULT_SUFFIX = "_vault"  # the data keys live in their own database, apart from the events


def vault_keys(settings: Settings) -> KeyTable:
    client = mongo.client(settings.mongodb_uri)
    return MongoKeys(client[settings.database + VAULT_SUFFIX]["data_keys"])


def build_deps(settings: Settings, store: EventStore | None = None,
               clock: Clock | None = None, secrets: Secrets | None = None,
               keys: KeyTable | None = None) -> Deps:
    """Refuses without the secrets file (COMPLAINTS_SECRETS_FILE) or with bad rules."""
    secrets = secrets or Secrets.from_env()
    clock = clock or SystemClock()
    store = store or MongoEventStore(mongo.database(settings), SERVICE, clock)
    vault = Vault(keys if keys is not None else vault_keys(settings), secrets.master_key)
    return Deps(store=store, clock=clock, vault=vault, secrets=secrets,
                rules=load_rules(settings), calendar=WorkCalendar())


def create_app(settings: Settings | None = None, store: EventStore | None = None,
               clock: Clock | None = None, secrets: Secrets | None = None,
               keys: KeyTable | None = None) -> Flask:
    """Nothing connects here: MongoDB is first touched by the first API request."""
    settings = settings or Settings.from_env(SERVICE)
    deps = build_deps(settings, store, clock, secrets, keys)
    store = deps.store
    app = http_app.create_app(settings, api.blueprints(), title="Complaints API",
                              description=DESCRIPTION, extensions={EXTENSION: deps},
                              indexes=[store])
    limits.install_rate_limit(app, settings.extra.get(PUBLIC_RATE_ENV, PUBLIC_RATE),
                              only_under="/api/v1/public/")
    return app
