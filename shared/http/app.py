"""Flask app factory on flask-smorest shared by every service."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import Flask, Response, g, request
from flask_smorest import Api, Blueprint
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared import kafka, metrics, mongo, ops
from shared.config import Settings
from shared.http import idempotency, limits, problems
from shared.http.auth import ROLES, roles_required
from shared.oidc import Verifier

API_PREFIX = "/api/v1"
# per client address: a reader paging and searching stays far below; a scraper does not
PUBLIC_RATE = "20 per second; 600 per minute"


def create_app(settings: Settings, blueprints: Iterable[Blueprint], *,
               title: str, description: str = "", extensions: dict[str, Any] | None = None,
               config: dict[str, Any] | None = None,
               readiness: Callable[[], dict[str, bool]] | None = None,
               indexes: Sequence[object] = (), max_body: int = limits.DEFAULT_MAX_BODY,
               public: bool = False, status: Callable[[], dict[str, Any]] | None = None
               ) -> Flask:
    """Build a service app; nothing connects until the first request needs it.

    ``indexes``: stores or adapters whose ``ensure_indexes()`` (where they have one) runs once,
    before the first request to one of ``blueprints`` (not at start-up).
    ``max_body``: the largest request body in bytes (ELDERCARE_MAX_BODY_BYTES overrides).
    ``public``: the public site: rates per client are limited (ELDERCARE_PUBLIC_RATE_LIMIT,
    default PUBLIC_RATE), and /metrics is not served on its port but on METRICS_PORT.
    ``status``: what GET /ops/status tells signed-in officials (a write service's relay by
    default: the event store among ``indexes``).
    """
    verifier = Verifier(settings.oidc)  # no app without a configured token issuer
    blueprints = list(blueprints)
    app = Flask(settings.service)
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=API_PREFIX, OPENAPI_JSON_PATH="openapi.json",
        JSON_AS_ASCII=False,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {"securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    )
    app.config.update(config or {})
    cap = int(settings.extra.get("ELDERCARE_MAX_BODY_BYTES", max_body))
    app.config["MAX_CONTENT_LENGTH"] = cap  # and the middleware below, before anything reads
    app.wsgi_app = limits.BodyLimit(app.wsgi_app, cap)  # type: ignore[method-assign]
    hops = int(settings.extra.get("ELDERCARE_TRUST_PROXY", "0") or 0)
    if hops > 0:
        # Behind that many reverse proxies (the compose gateway, and the load balancer before
        # it): the client's address is the hops-th last X-Forwarded-For entry (rates per
        # client); scheme and host from the nearest proxy. Off by default: a client could
        # name any address.
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops,  # type: ignore[method-assign]
                                x_proto=1, x_host=1)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["settings"] = settings
    app.extensions["oidc_verifier"] = verifier
    app.extensions.update(extensions or {})
    api = Api(app)
    for bp in blueprints:
        api.register_blueprint(bp)
    app.extensions["api"] = api
    problems.install(app)
    idempotency.install(app, lambda: mongo.database(settings)["http_idempotency"],
                        idempotency.Lifetimes.from_env(settings.extra))
    limits.security_headers(app)
    limits.reject_lone_surrogates(app)
    if public:
        limits.install_rate_limit(
            app, settings.extra.get("ELDERCARE_PUBLIC_RATE_LIMIT", PUBLIC_RATE),
            exempt=("/healthz", "/readyz"))
        metrics.serve_from_env()
    _install_ops(app, settings, readiness, serve_metrics=not public,
                 status=status or _relay_status_of(indexes))
    _install_metrics(app, settings.service)
    if indexes:
        _ensure_indexes_once(app, {bp.name for bp in blueprints}, indexes)
    return app


def _ensure_indexes_once(app: Flask, blueprint_names: set[str],
                         owners: Sequence[object]) -> None:
    done, lock = threading.Event(), threading.Lock()

    @app.before_request
    def _indexes() -> None:
        if done.is_set() or request.blueprint not in blueprint_names:
            return
        with lock:
            if not done.is_set():
                for owner in owners:
                    ensure = getattr(owner, "ensure_indexes", None)
                    if ensure is not None:
                        ensure()
                done.set()


def _relay_status_of(owners: Sequence[object]) -> Callable[[], dict[str, Any]] | None:
    from shared.eventstore import MongoEventStore

    store = next((o for o in owners if isinstance(o, MongoEventStore)), None)
    if store is None:
        return None
    return lambda: {"relay": ops.relay_status(store.db)}


def _install_ops(app: Flask, settings: Settings,
                 readiness: Callable[[], dict[str, bool]] | None,
                 serve_metrics: bool = True,
                 status: Callable[[], dict[str, Any]] | None = None) -> None:
    def default_checks() -> dict[str, bool]:
        return {"mongodb": mongo.reachable(settings),
                "kafka": kafka.broker_reachable(settings.kafka_bootstrap)}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": settings.service}

    @app.get("/readyz")
    def readyz() -> Response | dict[str, Any]:
        checks = (readiness or default_checks)()
        if all(checks.values()):
            return {"status": "ready", "checks": checks}
        failed = ", ".join(k for k, ok in checks.items() if not ok)
        return problems.problem_response(503, "Service Unavailable", f"不可用：{failed}",
                                         checks=checks)

    if status is not None:
        @app.get("/ops/status")
        @roles_required(*ROLES)
        def ops_status() -> dict[str, Any]:
            """The service's own progress marks (signed-in officials; the console's 运行状态)."""
            return {"service": settings.service, **status()}

    if serve_metrics:
        @app.get("/metrics")
        def prometheus() -> Response:
            return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)


def _install_metrics(app: Flask, service: str) -> None:
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(resp: Response) -> Response:
        endpoint = request.url_rule.rule if request.url_rule else "<unmatched>"
        metrics.REQUESTS.labels(service, request.method, endpoint, resp.status_code).inc()
        if "started" in g:
            metrics.LATENCY.labels(service, endpoint).observe(time.perf_counter() - g.started)
        return resp
