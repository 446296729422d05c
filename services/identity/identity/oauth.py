"""The OpenID Connect provider on Authlib: static clients, the authorization code grant
with PKCE (S256 only, required of every client) and nonce, client credentials for machine
clients, and RFC 9068 JWT access tokens signed EdDSA with the current key.

Protocol work (request validation, client authentication, PKCE, error responses) is
Authlib's; this module supplies storage and the platform's claims.
"""

from __future__ import annotations

import hmac
import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, g
from joserfc import jwt as jose_jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import KeySet

from identity.adapters import Codes
from identity.app.accounts import Accounts
from identity.domain.account import Account
from identity.domain.rules import Rules
from shared.authority import DEPARTMENTS
from shared.clock import Clock

CLIENTS_ENV = "IDENTITY_CLIENTS_FILE"
# joserfc prefers RFC 9864's "Ed25519" name; resource servers (and other providers' libraries)
# know Ed25519 signatures as "EdDSA" (RFC 8037), which is what the platform pins.
warnings.filterwarnings("ignore", "EdDSA is deprecated", SecurityWarning)
GRANTS = ("authorization_code", "client_credentials")


class ClientsFileError(RuntimeError):
    """The clients file is missing or malformed: the provider refuses to start."""


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    redirect_uris: tuple[str, ...]
    grant_types: tuple[str, ...]
    scope: str
    client_secret: str = ""
    department: str = ""
    post_logout_redirect_uris: tuple[str, ...] = field(default=())

    @property
    def public(self) -> bool:
        return not self.client_secret

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        if not scope:
            return self.scope
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client_secret) and hmac.compare_digest(
            self.client_secret.encode(), (client_secret or "").encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint != "token":
            return True
        if self.public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


def load_clients(path: str | Path) -> dict[str, Client]:
    if not path:
        raise ClientsFileError(f"{CLIENTS_ENV} not set: the provider serves only registered "
                               "clients (a JSON list: client_id, client_secret, redirect_uris, "
                               "grant_types, scope, department); refusing to start")
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClientsFileError(f"{CLIENTS_ENV}={path}: unreadable ({type(exc).__name__})"
                               ) from None
    clients: dict[str, Client] = {}
    for item in raw if isinstance(raw, list) else []:
        try:
            client = Client(client_id=str(item["client_id"]),
                            redirect_uris=tuple(item.get("redirect_uris", [])),
                            grant_types=tuple(item["grant_types"]), scope=str(item["scope"]),
                            client_secret=str(item.get("client_secret", "")),
                            department=str(item.get("department", "")),
                            post_logout_redirect_uris=tuple(
                                item.get("post_logout_redirect_uris", [])))
        except (KeyError, TypeError):
            raise ClientsFileError(f"{CLIENTS_ENV}={path}: a client lacks client_id, "
                                   "grant_types or scope") from None
        if any(g not in GRANTS for g in client.grant_types):
            raise ClientsFileError(f"client {client.client_id}: grant_types from {GRANTS}")
        if "client_credentials" in client.grant_types and (
                client.public or client.department not in DEPARTMENTS):
            raise ClientsFileError(f"client {client.client_id}: a client-credentials client "
                                   "needs a secret and a department")
        clients[client.client_id] = client
    if not clients:
        raise ClientsFileError(f"{CLIENTS_ENV}={path}: no clients")
    return clients


@dataclass(frozen=True)
class CodeRecord:
    """An authorization code as Authlib's grant reads it back."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    login: str
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE with S256, demanded of every client, confidential ones too (RFC 9700 2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge with code_challenge_method=S256 "
                                      "is required")
        super().validate_code_challenge(grant, redirect_uri)


@dataclass
class Provider:
    """Everything the protocol needs, built once per app."""

    issuer: str
    audience: str
    keys: list[dict[str, Any]]
    clients: dict[str, Client]
    accounts: Accounts
    codes: Codes
    clock: Clock
    rules: Rules

    @property
    def signing_key(self) -> dict[str, Any]:
        return self.keys[-1]

    def signing_set(self) -> KeySet:
        """The current signing key alone: what Authlib signs with (and names by kid)."""
        return KeySet.import_key_set({"keys": [self.signing_key]})


def user_claims(user: Account | None, client: Client) -> dict[str, Any]:
    """The platform's claims: an official's profile, or a machine client's department."""
    if user is None:
        return {"department": client.department, "regions": [], "duties": [], "name": ""}
    return {"department": user.department, "regions": list(user.regions),
            "duties": list(user.duties), "name": user.name}


def build_server(provider: Provider, app: Flask) -> AuthorizationServer:
    p = provider

    class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            now = p.clock.now()
            p.codes.save(code, {
                "client_id": request.client.client_id,
                "redirect_uri": request.payload.redirect_uri or "",
                "scope": request.scope or "", "nonce": data.get("nonce"),
                "code_challenge": data.get("code_challenge"),
                "code_challenge_method": data.get("code_challenge_method") or "S256",
                "login": request.user.login,
                "auth_time": int(g.get("auth_time", now).timestamp()),
                "expires": now.timestamp() + p.rules.code_lifetime_seconds})

        def query_authorization_code(self, code: str, client: Client) -> CodeRecord | None:
            doc = p.codes.take(code)  # single use, even when the exchange then fails
            if doc is None or doc["client_id"] != client.client_id:
                return None
            if float(doc["expires"]) <= p.clock.now().timestamp():
                return None
            return CodeRecord(code=code, client_id=doc["client_id"],
                              redirect_uri=doc["redirect_uri"], scope=doc["scope"],
                              nonce=doc.get("nonce"), code_challenge=doc["code_challenge"],
                              code_challenge_method=doc["code_challenge_method"],
                              login=doc["login"], auth_time=int(doc["auth_time"]))

        def delete_authorization_code(self, authorization_code: CodeRecord) -> None:
            return None  # taken when queried

        def authenticate_user(self, authorization_code: CodeRecord) -> Account | None:
            account = p.accounts.get(authorization_code.login)
            return account if account.exists and account.active else None

    class IdToken(OpenIDCode):  # type: ignore[misc]
        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return p.codes.nonce_used(request.payload.client_id, nonce)

        def resolve_client_private_key(self, client: Client) -> KeySet:
            return p.signing_set()

        def get_client_algorithm(self, client: Client) -> str:
            return "EdDSA"

        def get_encode_header(self, client: Client) -> dict[str, Any]:
            return {"alg": "EdDSA", "kid": p.signing_key["kid"]}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            now = int(time.time())
            return {"iss": p.issuer, "aud": [client.client_id], "iat": now,
                    "exp": now + p.rules.token_lifetime_seconds}

        def generate_user_info(self, user: Account, scope: str) -> UserInfo:
            return UserInfo(sub=user.login, name=user.name, department=user.department,
                            regions=list(user.regions), duties=list(user.duties))

    class AccessTokens(JWTBearerTokenGenerator):  # type: ignore[misc]
        def get_jwks(self) -> KeySet:
            return p.signing_set()

        def get_audiences(self, client: Client, user: Account | None, scope: str) -> str:
            return p.audience

        def get_extra_claims(self, client: Client, grant_type: str, user: Account | None,
                             scope: str) -> dict[str, Any]:
            return user_claims(user, client)

        def access_token_generator(self, client: Client, grant_type: str,
                                   user: Account | None, scope: str) -> str:
            """RFC 9068 claims as Authlib's generator makes them, signed with the algorithm
            named explicitly (joserfc refuses "EdDSA" unless it is asked for by name)."""
            now = int(time.time())
            claims = {"iss": p.issuer, "aud": p.audience, "iat": now,
                      "exp": now + p.rules.token_lifetime_seconds,
                      "client_id": client.get_client_id(),
                      "jti": self.get_jti(client, grant_type, user, scope), "scope": scope,
                      "sub": user.get_user_id() if user else client.get_client_id(),
                      **self.get_extra_claims(client, grant_type, user, scope)}
            header = {"alg": "EdDSA", "typ": "at+jwt", "kid": p.signing_key["kid"]}
            return jose_jwt.encode(header, claims, self.get_jwks(), algorithms=["EdDSA"])

    server = AuthorizationServer(app, query_client=p.clients.get,
                                 save_token=lambda token, request: None)
    server.register_grant(CodeGrant, [S256Only(required=True), IdToken(require_nonce=False)])
    server.register_grant(grants.ClientCredentialsGrant)
    tokens = AccessTokens(p.issuer, alg="EdDSA",
                          expires_generator=lambda client, grant_type:
                          p.rules.token_lifetime_seconds)
    server.register_token_generator("default", tokens)
    return server
