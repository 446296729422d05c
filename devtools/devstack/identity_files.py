"""The identity service's files in the data folder, for the development stack.

<data>/identity/clients.json (0600) registers the platform's static clients with secrets
generated here (secrets.token_urlsafe): "console" and "projection-pages" (confidential,
authorization code, redirect <url>/auth/callback), "market-push" (client credentials,
scope registrations:push, department market_supervision), "hotline-12349" (client
credentials, scope complaints:intake, department civil_affairs) and a public "devtools" client
whose redirect URI is never served (scripted sign-in of demo and test officials). An
existing file is kept, so secrets survive a restart. The signing keys file is made by the
identity CLI (`python -m identity.cli keys init --file <data>/identity/signing-keys.json`).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

DEVTOOLS_REDIRECT = "http://127.0.0.1/devtools/callback"
PUSH_SCOPE = "registrations:push"
INTAKE_SCOPE = "complaints:intake"  # the 12349 hotline system's only scope


def clients(urls: dict[str, str]) -> list[dict[str, Any]]:
    """The static clients, with fresh secrets; ``urls`` names each web service's URL."""

    def pages(client_id: str, service: str) -> dict[str, Any]:
        base = urls.get(service, "").rstrip("/")
        return {"client_id": client_id, "client_secret": secrets.token_urlsafe(32),
                "redirect_uris": [f"{base}/auth/callback"],
                "grant_types": ["authorization_code"], "scope": "openid"}

    return [pages("console", "console"), pages("projection-pages", "projection"),
            {"client_id": "market-push", "client_secret": secrets.token_urlsafe(32),
             "redirect_uris": [], "grant_types": ["client_credentials"],
             "scope": PUSH_SCOPE, "department": "market_supervision"},
            {"client_id": "hotline-12349", "client_secret": secrets.token_urlsafe(32),
             "redirect_uris": [], "grant_types": ["client_credentials"],
             "scope": INTAKE_SCOPE, "department": "civil_affairs"},
            {"client_id": "devtools", "redirect_uris": [DEVTOOLS_REDIRECT],
             "grant_types": ["authorization_code"], "scope": "openid"}]


def write_private(path: Path, text: str) -> None:
    """Create (or replace) ``path`` readable by its owner only, never briefly wider."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


def prepare_clients(folder: Path, urls: dict[str, str]) -> list[dict[str, Any]]:
    """<folder>/clients.json: kept when present (a client added to the platform since is
    added with a fresh secret), written (0600) otherwise."""
    path = folder / "clients.json"
    kept = list(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else []
    known = {c["client_id"] for c in kept}
    found = kept + [c for c in clients(urls) if c["client_id"] not in known]
    if found != kept:
        write_private(path, json.dumps(found, indent=2, ensure_ascii=False))
    return found


def service_env(folder: Path, identity_url: str, found: list[dict[str, Any]]) -> dict[str, str]:
    """Environment of every process once the identity service runs at ``identity_url``."""
    secret = {c["client_id"]: c.get("client_secret", "") for c in found}
    return {"IDENTITY_ISSUER": identity_url,
            "IDENTITY_KEYS_FILE": str(folder / "signing-keys.json"),
            "IDENTITY_CLIENTS_FILE": str(folder / "clients.json"),
            "OIDC_ISSUER": identity_url, "OIDC_JWKS_URI": f"{identity_url}/jwks.json",
            "OIDC_REVOCATIONS_URI": f"{identity_url}/revocations",
            "PROJECTION_OIDC_CLIENT_ID": "projection-pages",
            "PROJECTION_OIDC_CLIENT_SECRET": secret["projection-pages"],
            "CONSOLE_OIDC_CLIENT_ID": "console",
            "CONSOLE_OIDC_CLIENT_SECRET": secret.get("console", "")}
