"""Sign-in for a service's own HTML pages: the OpenID Connect authorization-code flow with PKCE.

The pages of a service (the projection's department pages; later the console) are a public
OIDC client of the platform's provider: /login sends the browser to the provider's
authorization endpoint with a fresh ``state`` and a PKCE S256 challenge; /auth/callback
exchanges the code (with the verifier) for an access token, verifies it like every API does
(shared/oidc.py), and keeps it in a server-side session referenced by a random cookie
(HttpOnly, SameSite=Lax, Secure over TLS). The browser never holds a token. /logout deletes
the server-side session and sends the browser to the provider's end-session endpoint, so the
provider's sign-in session ends too. Protocol work is Authlib's (OAuth2Session); this module
only stores state and sessions.

Settings: ``OIDC_ISSUER`` (discovery at <issuer>/.well-known/openid-configuration),
``<SERVICE>_OIDC_CLIENT_ID`` and ``<SERVICE>_OIDC_CLIENT_SECRET`` (or a file named by
``<SERVICE>_OIDC_CLIENT_SECRET_FILE``; the pages are a
confidential client registered with the provider; the secret has no default and is
required once a client id is set; its redirect URI is <public url>/auth/callback), the
service's public URL (ELDERCARE_<SERVICE>_PUBLIC_URL). ``state``, ``nonce`` (in the ID
token) and the PKCE verifier are checked; the access token is verified with the service's
Verifier before a session is made.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.requests_client import OAuth2Session
from flask import Blueprint, Flask, Response, current_app, redirect, request
from pymongo.collection import Collection

from shared.authority import Authority
from shared.http.problems import Problem
from shared.oidc import ConfigError, InvalidToken, Verifier

SESSION_COOKIE = "eldercare_session"
LOGIN_TTL = 600  # seconds a started sign-in may take
EXTENSION = "oidc_client"


@dataclass(frozen=True)
class ClientSettings:
    issuer: str
    client_id: str
    public_url: str
    client_secret: str = ""
    scope: str = "openid"

    @classmethod
    def from_env(cls, service: str, env: dict[str, str]) -> ClientSettings | None:
        """None when the service's sign-in is not configured (no client id). The secret is
        read from the file <PREFIX>_OIDC_CLIENT_SECRET_FILE names, else from the variable."""
        prefix = service.upper()
        client_id = env.get(f"{prefix}_OIDC_CLIENT_ID", "")
        if not client_id:
            return None
        secret_file = env.get(f"{prefix}_OIDC_CLIENT_SECRET_FILE", "")
        secret = Path(secret_file).read_text(encoding="utf-8").strip() if secret_file \
            else env.get(f"{prefix}_OIDC_CLIENT_SECRET", "")
        issuer = env.get("OIDC_ISSUER", "")
        public = env.get(f"ELDERCARE_{prefix}_PUBLIC_URL", "")
        missing = [n for n, v in ((f"{prefix}_OIDC_CLIENT_SECRET", secret),
                                  ("OIDC_ISSUER", issuer),
                                  (f"ELDERCARE_{prefix}_PUBLIC_URL", public)) if not v]
        if missing:
            raise ConfigError(f"{', '.join(missing)} not set: sign-in of the {service} pages "
                              f"({prefix}_OIDC_CLIENT_ID={client_id}) needs them; "
                              "refusing to start")
        return cls(issuer=issuer, client_id=client_id, public_url=public,
                   client_secret=secret)

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url.rstrip('/')}/auth/callback"


class PageSignIn:
    """State and sessions in MongoDB collections of the service (``logins``, ``sessions``)."""

    def __init__(self, settings: ClientSettings, verifier: Callable[[], Verifier],
                 collections: Callable[[str], Collection]) -> None:
        self.settings, self.verifier, self.collections = settings, verifier, collections
        self._metadata: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                url = f"{self.settings.issuer.rstrip('/')}/.well-known/openid-configuration"
                resp = requests.get(url, timeout=5)
                resp.raise_for_status()
                meta = resp.json()
                if meta.get("issuer") != self.settings.issuer:
                    raise RuntimeError("the provider's discovery names another issuer")
                self._metadata = meta
            return self._metadata

    def _client(self) -> OAuth2Session:
        secret = self.settings.client_secret or None
        return OAuth2Session(self.settings.client_id, secret, scope=self.settings.scope,
                             redirect_uri=self.settings.redirect_uri,
                             code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic" if secret
                             else "none")

    def begin(self, next_path: str) -> str:
        """The provider's authorization URL for a new sign-in; remembers state and verifier."""
        verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
        uri, state = self._client().create_authorization_url(
            self.metadata()["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
        self.collections("page_logins").insert_one({
            "_id": state, "verifier": verifier, "nonce": nonce, "next": _safe_next(next_path),
            "expires": time.time() + LOGIN_TTL})
        return str(uri)

    def finish(self, url: str, state: str) -> tuple[str, str]:
        """Exchange the code; return (new session cookie value, where to go next)."""
        login = self.collections("page_logins").find_one_and_delete({"_id": state})
        if login is None or login["expires"] < time.time():
            raise Problem(400, "Bad Request", "登录请求已失效，请重新登录")
        token = self._client().fetch_token(
            self.metadata()["token_endpoint"], authorization_response=url, state=state,
            code_verifier=login["verifier"])
        access = token.get("access_token", "")
        if _claims_unverified(token.get("id_token", "")).get("nonce") != login["nonce"]:
            raise Problem(401, "Unauthorized", "身份提供方返回的 ID 令牌与本次登录不符（nonce）")
        try:
            authority = self.verifier().authority(access)
            claims = self.verifier().claims(access)
        except InvalidToken as exc:
            raise Problem(401, "Unauthorized", f"身份提供方返回的令牌无效：{exc}") from exc
        cookie = secrets.token_urlsafe(32)
        self.collections("page_sessions").insert_one({
            "_id": _digest(cookie), "token": access, "sub": authority.sub,
            "id_token": token.get("id_token", ""), "expires": float(claims["exp"])})
        return cookie, login["next"]

    def token(self, cookie: str) -> str | None:
        """The session's access token while it is valid; None otherwise."""
        if not cookie:
            return None
        doc = self.collections("page_sessions").find_one({"_id": _digest(cookie)})
        if doc is None or doc["expires"] < time.time():
            return None
        return str(doc["token"])

    def session_sub(self, cookie: str) -> str | None:
        """Whose session the cookie names, valid or expired (None: no such session)."""
        if not cookie:
            return None
        doc = self.collections("page_sessions").find_one({"_id": _digest(cookie)})
        return None if doc is None else str(doc.get("sub") or "") or None

    def end(self, cookie: str) -> str:
        """Delete the session; the provider's end-session URL (or the home page)."""
        doc = self.collections("page_sessions").find_one_and_delete({"_id": _digest(cookie)})
        if doc is None:
            return "/"
        end = self.metadata().get("end_session_endpoint") or \
            f"{self.settings.issuer.rstrip('/')}/logout"
        params = {"client_id": self.settings.client_id,
                  "post_logout_redirect_uri": self.settings.public_url.rstrip("/") + "/"}
        if doc.get("id_token"):
            params["id_token_hint"] = doc["id_token"]
        return f"{end}?{urlencode(params)}"


def _claims_unverified(jwt: str) -> dict[str, Any]:
    """The payload of the ID token received straight from the token endpoint (OIDC Core
    3.1.3.7: TLS to the provider authenticates it); used for the nonce only."""
    try:
        payload = jwt.split(".")[1]
        found = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def _safe_next(path: str) -> str:
    """Only a path on this site (no scheme, no //host): no open redirect."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path \
        else "/"


def sign_in() -> PageSignIn:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def session_authority() -> Authority | None:
    """The signed-in official of this request's session cookie, verified again."""
    ext = current_app.extensions.get(EXTENSION)
    if ext is None:
        return None
    token = ext.token(request.cookies.get(SESSION_COOKIE, ""))
    if token is None:
        return None
    try:
        return ext.verifier().authority(token)
    except InvalidToken:
        return None


def blueprint() -> Blueprint:
    bp = Blueprint("oidc_sign_in", __name__)

    @bp.get("/login")
    def login() -> Response:
        return redirect(sign_in().begin(request.args.get("next", "/")))  # type: ignore[return-value]

    @bp.get("/auth/callback")
    def callback() -> Response:
        if request.args.get("error"):
            raise Problem(401, "Unauthorized", "登录未完成："
                          f"{request.args.get('error_description') or request.args['error']}")
        state = request.args.get("state", "")
        cookie, target = sign_in().finish(request.url, state)
        resp = redirect(target)
        resp.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")
        return resp  # type: ignore[return-value]

    @bp.route("/logout", methods=["GET", "POST"])
    def logout() -> Response:
        target = sign_in().end(request.cookies.get(SESSION_COOKIE, ""))
        resp = redirect(target)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp  # type: ignore[return-value]

    return bp


def install(app: Flask, settings: ClientSettings,
            collections: Callable[[str], Collection]) -> PageSignIn:
    ext = PageSignIn(settings, lambda: app.extensions["oidc_verifier"], collections)
    app.extensions[EXTENSION] = ext
    app.register_blueprint(blueprint())
    return ext
