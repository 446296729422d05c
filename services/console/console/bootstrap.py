"""Composition root of the console (gunicorn: 'console.bootstrap:create_app()')."""

from __future__ import annotations

import os

from flask import Flask
from pymongo.database import Database

from console import web
from console.gateway import Gateway, Send, http_sender, service_urls
from shared import mongo
from shared.config import Settings
from shared.http import oidc_client
from shared.http.app import create_app as create_service_app
from shared.oidc import ConfigError


def create_app(settings: Settings | None = None, db: Database | None = None,
               sign_in: oidc_client.ClientSettings | None = None,
               send: Send | None = None) -> Flask:
    """The workbench. It signs officials in through the identity service
    (CONSOLE_OIDC_CLIENT_ID, CONSOLE_OIDC_CLIENT_SECRET, OIDC_ISSUER,
    ELDERCARE_CONSOLE_PUBLIC_URL; none has a default: without them it refuses to start) and
    keeps nothing but sign-in sessions in its database. ``send`` replaces the HTTP calls to
    the services (tests hand in the services' own apps)."""
    settings = settings or Settings.from_env("console")
    sign_in = sign_in or oidc_client.ClientSettings.from_env("console", dict(os.environ))
    if sign_in is None:
        raise ConfigError("CONSOLE_OIDC_CLIENT_ID not set: the console is only for signed-in "
                          "officials and needs its client registered with the identity "
                          "service; refusing to start")

    def database() -> Database:
        return db if db is not None else mongo.database(settings)

    app = create_service_app(settings, [], title="养老机构综合监管工作台",
                             readiness=lambda: {"mongodb": mongo.reachable(settings)})
    app.extensions[web.GATEWAY] = Gateway(send or http_sender(service_urls()))
    app.extensions[web.DATABASE] = database
    oidc_client.install(app, sign_in, lambda name: database()[name])
    app.register_blueprint(web.bp)
    return app
