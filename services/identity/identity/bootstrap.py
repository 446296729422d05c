"""Composition root of the identity service (the platform's OpenID Connect provider)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from argon2 import PasswordHasher
from flask import Flask, request
from pymongo.database import Database
from werkzeug.middleware.proxy_fix import ProxyFix

from identity import keys as keyfile
from identity.adapters import Codes, Credentials, Sessions
from identity.api import views
from identity.app.accounts import SERVICE, Accounts
from identity.config import IdentitySettings, load_rules
from identity.domain.rules import Rules
from identity.oauth import Provider, build_server, load_clients
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import EventStore, MongoEventStore
from shared.http import app as http_app
from shared.oidc import OidcSettings

DESCRIPTION = ("统一身份认证：具名、分辖区的监管人员账号，OpenID Connect 登录（授权码 + PKCE），"
               "市场监管推送系统的客户端凭证，EdDSA 签名的访问令牌。")


@dataclasses.dataclass
class Parts:
    """What the web app and the CLI share."""

    settings: Settings
    identity: IdentitySettings
    rules: Rules
    clock: Clock
    db: Database[Any]
    store: EventStore
    accounts: Accounts
    sessions: Sessions


def parts(settings: Settings | None = None, identity: IdentitySettings | None = None,
          clock: Clock | None = None, rules: Rules | None = None,
          hasher: PasswordHasher | None = None) -> Parts:
    identity = identity or IdentitySettings.from_env()
    settings = settings or Settings.from_env(SERVICE)
    # the provider verifies its own tokens (userinfo, sign-out hints) with its own keys
    settings = dataclasses.replace(settings, oidc=OidcSettings(
        issuer=identity.issuer, jwks_uri=f"{identity.issuer}/jwks.json",
        audience=settings.oidc.audience))
    clock = clock or SystemClock()
    rules = rules or load_rules(settings)
    db = mongo.database(settings)
    store = MongoEventStore(db, SERVICE, clock)
    sessions = Sessions(db, rules.session_idle_seconds, rules.session_max_seconds)
    accounts = Accounts(store, Credentials(db), sessions, clock, rules, hasher)
    return Parts(settings, identity, rules, clock, db, store, accounts, sessions)


def create_app(settings: Settings | None = None, identity: IdentitySettings | None = None,
               clock: Clock | None = None, rules: Rules | None = None,
               hasher: PasswordHasher | None = None) -> Flask:
    """Refuses to build without keys and clients (a clear message names what is missing)."""
    p = parts(settings, identity, clock, rules, hasher)
    keys = keyfile.load(p.identity.keys_file)
    clients = load_clients(p.identity.clients_file)
    provider = Provider(issuer=p.identity.issuer, audience=p.settings.oidc.audience, keys=keys,
                        clients=clients, accounts=p.accounts, codes=Codes(p.db), clock=p.clock,
                        rules=p.rules)
    app = http_app.create_app(p.settings, [], title="Identity", description=DESCRIPTION)
    _indexes_once(app, p)
    if p.identity.trust_proxy:
        # behind one TLS-terminating reverse proxy: its X-Forwarded-Proto/Host make the
        # session cookie Secure and the redirects https (never trusted without the setting)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    server = build_server(provider, app)
    views.install(app, views.Web(provider, server, p.accounts, p.sessions))
    return app

NO_STORAGE = {"oidc.discovery", "oidc.jwks", "healthz", "readyz", "prometheus", "static"}


def _indexes_once(app: Flask, p: Parts) -> None:
    """The store's and sessions' indexes before the first request (not at import)."""
    done = threading.Event()
    lock = threading.Lock()

    @app.before_request
    def _ensure() -> None:
        if done.is_set() or request.endpoint in NO_STORAGE:
            return
        with lock:
            if not done.is_set():
                ensure = getattr(p.store, "ensure_indexes", None)
                if ensure is not None:
                    ensure()
                p.sessions.ensure_indexes()
                done.set()
