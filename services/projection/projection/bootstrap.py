"""Composition root of the projection web app (gunicorn: 'projection.bootstrap:create_app()')."""

from __future__ import annotations

from flask import Flask
from pymongo.database import Database

from projection.adapters.directory import PublicDirectory
from projection.web import api, errors, open_data, pages, reads
from shared import mongo
from shared.config import Settings
from shared.http.app import create_app as create_service_app

DESCRIPTION = ("养老机构公开信息：备案名录、机构详情与变更记录、开放数据。"
               "公开接口，无需令牌；联系人与联系电话已脱敏。")


def create_app(settings: Settings | None = None, db: Database | None = None) -> Flask:
    """The public site; ``db`` replaces the configured database (tests)."""
    settings = settings or Settings.from_env("projection")

    def database() -> Database:
        return db if db is not None else mongo.database(settings)

    app = create_service_app(
        settings, [api.blp, open_data.blp], title="养老机构公开信息", description=DESCRIPTION,
        extensions={reads.EXTENSION: PublicDirectory(database)},
        readiness=lambda: {"mongodb": mongo.reachable(settings)},  # pages need no broker
    )
    app.register_blueprint(pages.bp)
    errors.install(app)
    return app
