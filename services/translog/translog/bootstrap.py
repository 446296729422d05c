"""Composition root of the transparency log's web app (read only: the consumer appends, the
scheduler signs checkpoints)."""

from __future__ import annotations

from flask import Flask
from pymongo.database import Database

from shared import mongo
from shared.config import Settings
from shared.http import app as http_app
from translog.adapters import MongoLog
from translog.api import views

DESCRIPTION = ("公开信息透明日志（RFC 9162 Merkle 树，C2SP 签名检查点）：每项公开的事实（备案、"
               "抽查计划与抽取、检查结果、行政处罚及其撤下、失信名单）作为一片叶子追加；"
               "任何人可凭公开接口核验某条记录已被收录、两个检查点前后一致。")
SERVICE = "translog"


def create_app(settings: Settings | None = None, db: Database | None = None) -> Flask:
    settings = settings or Settings.from_env(SERVICE)
    log = MongoLog(db if db is not None else mongo.database(settings))
    return http_app.create_app(settings, [views.blp], title="Transparency log API",
                               description=DESCRIPTION, extensions={views.EXTENSION: log},
                               indexes=[log], public=True)
