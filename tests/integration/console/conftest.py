"""The console over the registry's real app (its own MongoDB database), signed in through a
session stored where the sign-in flow stores it (the provider's part is tested in
tests/integration/identity and the browser e2e)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import requests
from console.bootstrap import create_app as console_app
from registry.bootstrap import create_app as registry_app

from shared import mongo
from shared.clock import FixedClock
from shared.http import oidc_client
from tests.signer import mint
from tests.support import drop_database, scratch_store, service_settings
from tests.unit.registry.builders import china_noon

SIGN_IN = oidc_client.ClientSettings(issuer="http://idp.test.invalid", client_id="console",
                                     public_url="http://console.test.invalid",
                                     client_secret="test-only")


class Services:
    """send() over the services' own Flask apps; a service not running is unreachable."""

    def __init__(self, **apps: Any) -> None:
        self.clients = {name: app.test_client() for name, app in apps.items()}

    def __call__(self, service: str, method: str, path: str, headers: dict[str, str],
                 body: Any, raw: tuple[bytes, str] | None = None) -> tuple[int, Any]:
        client = self.clients.get(service)
        if client is None:
            raise requests.ConnectionError(f"{service} is not running")
        if raw is not None:
            resp = client.open(path, method=method, headers=headers, data=raw[0],
                               content_type=raw[1])
        else:
            resp = client.open(path, method=method, headers=headers, json=body)
        return resp.status_code, resp.get_json(silent=True)


@pytest.fixture()
def registry(infra, unique):
    settings = service_settings("registry", infra, unique)
    clock = FixedClock(china_noon(date(2026, 11, 23)))
    for store in scratch_store(settings, clock):
        yield registry_app(settings=settings, store=store, clock=clock), store


@pytest.fixture()
def console(infra, unique, registry):
    with console_over(infra, unique, registry=registry[0]) as app:
        yield app


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's form (csrf, key, and a confirmation's values)."""
    return dict(re.findall(r'<input type="hidden" name="([\w.]+)" value="([^"]*)"', page))


@contextmanager
def console_over(infra: Any, unique: str, **apps: Any) -> Iterator[Any]:
    """The console over the given services' own apps, on a database of its own (dropped
    after)."""
    settings = service_settings("console", infra, unique + "-console")
    try:
        yield console_app(settings=settings, sign_in=SIGN_IN, send=Services(**apps))
    finally:
        drop_database(settings)


class Official:
    """A browser of one signed-in official: its session cookie and the page's CSRF token."""

    def __init__(self, app: Any, department: str, regions: tuple[str, ...],
                 duties: tuple[str, ...], sub: str = "yz.clerk") -> None:
        self.client = app.test_client()
        cookie = secrets.token_urlsafe(32)
        db = mongo.database(app.extensions["settings"])
        db["page_sessions"].insert_one({
            "_id": hashlib.sha256(cookie.encode()).hexdigest(), "sub": sub,
            "token": mint(sub, department, regions=regions, duties=duties),
            "id_token": "", "expires": time.time() + 600})
        self.client.set_cookie(oidc_client.SESSION_COOKIE, cookie)

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def hidden(self, path: str) -> dict[str, str]:
        """The hidden fields (csrf, key) of the form page at ``path``, as a browser has them."""
        return hidden_fields(self.get(path).get_data(as_text=True))

    def submit(self, workflow: str, form: dict[str, str], query: str = "",
               hidden: dict[str, str] | None = None) -> Any:
        """Open the form, fill it in and send it (``hidden``: the same form sent again)."""
        hidden = hidden or self.hidden(f"/do/{workflow}{query}")
        return self.client.post(f"/do/{workflow}", data={**hidden, **form})
