"""The identity provider on a real MongoDB (a database per test), keys and clients in tmp."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from identity import keys as keyfile
from identity.bootstrap import create_app, parts
from identity.config import IdentitySettings

from shared.clock import FixedClock
from tests.support import drop_database, service_settings

ISSUER = "http://127.0.0.1:8006"
PUSH_SECRET = "push-secret-for-tests-only"
PAGES_SECRET = "pages-secret-for-tests-only"
ADMIN_PASSWORD = "Admin-Passw0rd-Test"
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # tests only


@dataclass
class Idp:
    app: object
    client: object
    clock: FixedClock
    accounts: object
    keys_file: Path
    folder: Path
    identity: IdentitySettings
    settings: object

    def rebuild(self) -> None:
        """A new app over the same database and files (a restart, or keys reloaded)."""
        self.app = create_app(self.settings, self.identity, self.clock, hasher=FAST)
        self.client = self.app.test_client()  # type: ignore[attr-defined]


def write_clients(folder: Path) -> Path:
    path = folder / "clients.json"
    path.write_text(json.dumps([
        {"client_id": "devtools", "redirect_uris": ["http://127.0.0.1/devtools/callback"],
         "grant_types": ["authorization_code"], "scope": "openid"},
        {"client_id": "projection-pages", "client_secret": PAGES_SECRET,
         "redirect_uris": ["http://127.0.0.1:8000/auth/callback"],
         "grant_types": ["authorization_code"], "scope": "openid"},
        {"client_id": "market-push", "client_secret": PUSH_SECRET, "redirect_uris": [],
         "grant_types": ["client_credentials"], "scope": "registrations:push",
         "department": "market_supervision"}]), encoding="utf-8")
    return path


@pytest.fixture()
def idp(infra, unique, tmp_path) -> Idp:
    keys = tmp_path / "signing-keys.json"
    keyfile.init(keys)
    identity = IdentitySettings(issuer=ISSUER, keys_file=str(keys),
                                clients_file=str(write_clients(tmp_path)))
    settings = service_settings("identity", infra, unique)
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    app = create_app(settings, identity, clock, hasher=FAST)
    accounts = parts(settings, identity, clock, hasher=FAST).accounts
    yield Idp(app, app.test_client(), clock, accounts, keys, tmp_path, identity, settings)
    drop_database(settings)


def make_official(idp: Idp, login: str, department: str = "civil_affairs",
                  regions: tuple[str, ...] = ("500103",), duties: tuple[str, ...] = ("clerk",),
                  password: str = "Clerk-Passw0rd-1234") -> str:
    idp.accounts.create(None, login, f"测试{login}", department, regions, duties, password)
    return password
