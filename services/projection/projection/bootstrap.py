"""Composition root of the projection web app (gunicorn: 'projection.bootstrap:create_app()')."""

from __future__ import annotations

import os

from flask import Flask
from pymongo.database import Database

from projection import features, pipeline
from projection.adapters.directory import PublicDirectory
from projection.web import (
    api,
    asof,
    datasets,
    errors,
    leads,
    open_data,
    pages,
    profile,
    reads,
    regulator_auth,
)
from shared import mongo
from shared.config import Settings
from shared.http import oidc_client
from shared.http.app import create_app as create_service_app

DESCRIPTION = ("养老机构公开信息：备案名录、机构详情与变更记录、开放数据。"
               "公开接口，无需令牌；联系人与联系电话已脱敏。")


def create_app(settings: Settings | None = None, db: Database | None = None,
               sign_in: oidc_client.ClientSettings | None = None) -> Flask:
    """The public site; ``db`` replaces the configured database (tests). Department pages
    sign in through the identity service when PROJECTION_OIDC_CLIENT_ID is set (or
    ``sign_in`` is given)."""
    settings = settings or Settings.from_env("projection")
    sign_in = sign_in or oidc_client.ClientSettings.from_env("projection", dict(os.environ))

    def database() -> Database:
        return db if db is not None else mongo.database(settings)

    found = features.discover()
    app = create_service_app(
        settings, [api.blp, open_data.blp, *(b for f in found for b in f.api_blueprints)],
        title="养老机构公开信息", description=DESCRIPTION,
        extensions={reads.EXTENSION: PublicDirectory(database)},
        # ready: the database, the broker and every consumer group alive and keeping up
        readiness=pipeline.readiness(settings, database),
        status=pipeline.status(settings, database),
        public=True,  # rates per client limited; /metrics only on METRICS_PORT
    )
    app.register_blueprint(pages.bp)
    app.register_blueprint(regulator_auth.bp)
    if sign_in is None:
        app.register_blueprint(regulator_auth.unconfigured)
    else:
        oidc_client.install(app, sign_in, lambda name: database()[name])
    app.register_blueprint(leads.bp)  # civil affairs only: unfiled-operation leads
    app.register_blueprint(datasets.bp)  # open data of every dataset and its dictionary
    app.register_blueprint(profile.bp)  # one public profile per institution
    for f in found:
        for bp in f.page_blueprints:
            app.register_blueprint(bp)
    app.extensions["projection.nav"] = [item for f in found for item in f.nav]
    app.extensions["projection.db"] = database
    links = [item for f in found for item in f.institution_links]
    app.context_processor(lambda: {"feature_nav": app.extensions["projection.nav"],
                                   "institution_links": links})
    errors.install(app)
    asof.install(app)  # ?as_of= on every public page and open-data endpoint
    return app
