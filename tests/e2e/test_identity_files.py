"""The development stack's identity files: clients registered as the identity service reads
them, secrets generated and kept private (no stack is started here)."""

from __future__ import annotations

import json
import stat

from devtools.devstack import identity_files as idf

URLS = {"projection": "http://127.0.0.1:8000", "console": "http://127.0.0.1:8010"}


def test_the_clients_file_registers_the_platforms_clients_privately(tmp_path):
    found = idf.prepare_clients(tmp_path / "identity", URLS)
    path = tmp_path / "identity" / "clients.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    by_id = {c["client_id"]: c for c in json.loads(path.read_text())}
    assert set(by_id) == {"console", "projection-pages", "market-push", "hotline-12349",
                          "devtools"}
    pages = by_id["projection-pages"]
    assert pages["redirect_uris"] == ["http://127.0.0.1:8000/auth/callback"]
    assert pages["grant_types"] == ["authorization_code"] and len(pages["client_secret"]) >= 40
    push = by_id["market-push"]
    assert push["grant_types"] == ["client_credentials"]
    assert push["scope"] == "registrations:push" and push["department"] == "market_supervision"
    hotline = by_id["hotline-12349"]
    assert hotline["scope"] == "complaints:intake" and hotline["department"] == "civil_affairs"
    assert "client_secret" not in by_id["devtools"]
    assert by_id["devtools"]["redirect_uris"] == [idf.DEVTOOLS_REDIRECT]
    assert len({c.get("client_secret") for c in found}) == 5  # four secrets, all different


def test_a_restart_keeps_the_secrets_and_services_get_the_identity_urls(tmp_path):
    first = idf.prepare_clients(tmp_path, URLS)
    again = idf.prepare_clients(tmp_path, URLS)
    assert first == again
    env = idf.service_env(tmp_path, "http://127.0.0.1:8006", again)
    assert env["OIDC_ISSUER"] == env["IDENTITY_ISSUER"] == "http://127.0.0.1:8006"
    assert env["OIDC_JWKS_URI"] == "http://127.0.0.1:8006/jwks.json"
    assert env["OIDC_REVOCATIONS_URI"] == "http://127.0.0.1:8006/revocations"
    assert env["PROJECTION_OIDC_CLIENT_ID"] == "projection-pages"
    secret = {c["client_id"]: c.get("client_secret") for c in first}["projection-pages"]
    assert env["PROJECTION_OIDC_CLIENT_SECRET"] == secret
    assert env["IDENTITY_CLIENTS_FILE"].endswith("clients.json")


def test_a_client_added_since_joins_an_existing_file_and_old_secrets_stay(tmp_path):
    first = idf.prepare_clients(tmp_path, URLS)
    kept = [c for c in first if c["client_id"] != "hotline-12349"]
    (tmp_path / "clients.json").write_text(json.dumps(kept))
    again = idf.prepare_clients(tmp_path, URLS)
    by_id = {c["client_id"]: c for c in again}
    assert {c["client_id"]: c for c in kept}.items() <= by_id.items()
    assert by_id["hotline-12349"]["client_secret"]
    assert stat.S_IMODE((tmp_path / "clients.json").stat().st_mode) == 0o600
