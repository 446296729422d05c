"""Drive the provider like a browser and a client would (Flask test client, no mocks)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import urllib.parse
from pathlib import Path
from typing import Any

from shared.oidc import OidcSettings, Verifier

DEVTOOLS_REDIRECT = "http://127.0.0.1/devtools/callback"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the form"
    return m.group(1)


def sign_in(client: Any, login: str, password: str, next_url: str = "/") -> Any:
    form = client.get("/login?" + urllib.parse.urlencode({"next": next_url}))
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf_of(form.get_data(as_text=True)),
                                       "next": next_url})


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()
                                         ).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(client_id: str = "devtools", redirect_uri: str = DEVTOOLS_REDIRECT,
                  challenge: str | None = None, nonce: str = "n-1", state: str = "s-1",
                  **extra: str) -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": "openid", "state": state, "nonce": nonce, **extra}
    if challenge is not None:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return "/authorize?" + urllib.parse.urlencode(params)


def code_from(resp: Any) -> str:
    assert resp.status_code == 302, resp.get_data(as_text=True)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(resp.headers["Location"]).query)
    assert query.get("state") == ["s-1"]
    return query["code"][0]


def exchange(client: Any, code: str, verifier: str | None, client_id: str = "devtools",
             redirect_uri: str = DEVTOOLS_REDIRECT) -> Any:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client_id}
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post("/token", data=data)


def tokens_for(client: Any, login: str, password: str) -> dict[str, Any]:
    """The whole code flow with PKCE for a signed-in official: the token response."""
    sign_in(client, login, password)
    verifier, challenge = pkce()
    code = code_from(client.get(authorize_url(challenge=challenge)))
    resp = exchange(client, code, verifier)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return dict(resp.json)


def verifier_for(client: Any, issuer: str, folder: Path) -> Verifier:
    """A resource server's verifier reading the JWKS the provider serves right now."""
    path = folder / f"jwks-{secrets.token_hex(4)}.json"
    path.write_text(json.dumps(client.get("/jwks.json").json), encoding="utf-8")
    return Verifier(OidcSettings(issuer=issuer, jwks_uri=path.resolve().as_uri()))
