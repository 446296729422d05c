"""The identity service in the development stack, and tokens obtained from it.

``prepare`` makes the provider's files in <data>/identity (signing keys through the identity
CLI's own module, static clients with generated secrets) and returns the environment every
process needs. ``IdentityTokens`` gets tokens the way a real client does: an official signs
in on the provider's sign-in form and the public "devtools" client runs the authorization
code flow with PKCE; a machine client uses client credentials. Demo officials' accounts are
created through the provider's application layer the first time they are asked for, with
random passwords kept in <data>/identity/demo-accounts.json (0600). A development
convenience only: nothing here is used by a service.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from devtools.devstack.identity_files import (
    DEVTOOLS_REDIRECT,
    prepare_clients,
    service_env,
    write_private,
)
from shared.authority import ACCOUNT_ADMIN, BUSINESS_DUTIES, NATIONAL
from shared.config import Settings

ADMIN_LOGIN = "admin"
FIRST_ADMIN_FILE = "first-admin.txt"
DEMO_FILE = "demo-accounts.json"


def prepare(folder: Path, urls: dict[str, str]) -> dict[str, str]:
    """Keys (kept if present) and clients of the provider at ``urls['identity']``."""
    from identity import keys as keyfile

    folder.mkdir(parents=True, exist_ok=True)
    keyfile.init(folder / "signing-keys.json")
    found = prepare_clients(folder, urls)
    return service_env(folder, urls["identity"], found)


def _accounts(env: dict[str, str]) -> Any:
    from identity.bootstrap import parts
    from identity.config import IdentitySettings

    ident = IdentitySettings(issuer=env["IDENTITY_ISSUER"], keys_file="", clients_file="")
    return parts(Settings.from_env("identity", env), ident).accounts


def first_admin(folder: Path, env: dict[str, str]) -> tuple[str, str | None]:
    """The first account administrator (region 50, 重庆市) and its initial password: made on
    the first start and kept (0600) until its first sign-in changes it."""
    accounts = _accounts(env)
    path = folder / FIRST_ADMIN_FILE
    if not accounts.get(ADMIN_LOGIN).exists:
        made = accounts.create(None, ADMIN_LOGIN, "平台账号管理员", "civil_affairs", ["50"],
                               [ACCOUNT_ADMIN])
        write_private(path, f"{made.initial_password}\n")
    acct = accounts.get(ADMIN_LOGIN)
    if not acct.must_change_password:
        return ADMIN_LOGIN, None  # changed already: only its owner knows it
    return ADMIN_LOGIN, path.read_text(encoding="utf-8").strip() if path.exists() else None


# The console's demo officials, one per scenario of the README (development only: their
# random passwords are kept in data/identity/demo-accounts.json, mode 0600, and printed by
# `make run`): (login, department, regions, duties, what they do).
DEMO_OFFICIALS = (
    ("yz.ca.clerk", "civil_affairs", ("500103",), ("clerk",), "渝中区民政：备案、检查计划"),
    ("cq.ca.leader", "civil_affairs", ("50",), ("clerk", "leader"),
     "重庆市民政负责人：失信列入决定、统计驾驶舱"),
    ("cq.fr.officer", "fire_rescue", ("50",), ("clerk", "inspector", "leader"),
     "重庆市消防救援：检查、整改通知、复查、查封"),
    ("cq.fr.officer2", "fire_rescue", ("50",), ("inspector",),
     "重庆市消防救援：重大隐患集体判定成员"),
    ("cq.fr.officer3", "fire_rescue", ("50",), ("inspector",),
     "重庆市消防救援：重大隐患集体判定成员"),
    ("yz.ms.clerk", "market_supervision", ("500103",), ("clerk",), "渝中区市场监管：行政处罚"),
    ("cq.ps.clerk", "public_security", ("50",), ("clerk",), "重庆市公安：执行联合惩戒措施"),
    ("cq.fin.clerk", "finance", ("50",), ("clerk",), "重庆市金融监管：押金监管、对账单"),
)


def demo_officials(tokens: IdentityTokens) -> list[tuple[str, str, str]]:
    """(login, password, what they do) of every demo official, made on first use."""
    out = []
    for login, department, regions, duties, does in DEMO_OFFICIALS:
        _, password = tokens._ensure(login, department, regions, duties)
        out.append((login, password, does))
    return out


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _password() -> str:
    return "Dev-" + secrets.token_urlsafe(18) + "-9a"


class IdentityTokens:
    """The TokenCache interface (tokens(department), tokens(department, scope=...),
    tokens.official(sub, department, regions, duties)) backed by the identity service."""

    def __init__(self, env: dict[str, str], prefix: str = "demo",
                 ask: Callable[[str], str] | None = None) -> None:
        """``ask(login)``: the password of an account this tooling did not create (a real
        official's, made on the admin page); without it such an account is refused."""
        self.env, self.prefix, self.ask = env, prefix, ask
        self.issuer = env["IDENTITY_ISSUER"].rstrip("/")
        self.folder = Path(env["IDENTITY_CLIENTS_FILE"]).parent
        self.clients = json.loads(Path(env["IDENTITY_CLIENTS_FILE"]).read_text("utf-8"))
        self._tokens: dict[tuple[str, ...], tuple[float, str]] = {}
        self._profiles: dict[str, tuple[str, ...]] = {}  # login -> the profile last set
        self._lock = threading.RLock()
        self._accounts: Any = None

    def __call__(self, department: str, scope: str = "openid") -> str:
        if scope != "openid":
            return self._cached(("client", department, scope),
                                lambda: self._client_credentials(department, scope))
        return self.official(f"{self.prefix}-{department}".replace("_", "-"), department)

    def official(self, sub: str, department: str, regions: tuple[str, ...] = (NATIONAL,),
                 duties: tuple[str, ...] = BUSINESS_DUTIES) -> str:
        key = ("official", sub, department, ",".join(regions), ",".join(duties))
        if self._profiles.get(sub.lower(), key) != key:
            # the account was set to another profile since: tokens issued before such a
            # change are revoked, so this profile is set again and a token made afresh
            self._tokens.pop(key, None)
        self._profiles[sub.lower()] = key
        return self._cached(key, lambda: self._sign_in(
            self._ensure(sub, department, tuple(regions), tuple(duties))))

    def _cached(self, key: tuple[str, ...], make: Any) -> str:
        with self._lock:  # one renewal however many threads ask at once
            made, token = self._tokens.get(key, (0.0, ""))
            if time.monotonic() - made > 240:  # tokens live 10 minutes; renew well before
                token = make()
                self._tokens[key] = (time.monotonic(), token)
            return token

    def _client_credentials(self, department: str, scope: str) -> str:
        client = next((c for c in self.clients if c.get("scope") == scope
                       and c.get("department") == department), None)
        if client is None:
            raise RuntimeError(f"no client with scope {scope} for {department} in "
                               f"{self.env['IDENTITY_CLIENTS_FILE']}")
        resp = requests.post(f"{self.issuer}/token", timeout=30,
                             data={"grant_type": "client_credentials", "scope": scope},
                             auth=(client["client_id"], client["client_secret"]))
        resp.raise_for_status()
        return str(resp.json()["access_token"])

    def _ensure(self, login: str, department: str, regions: tuple[str, ...],
                duties: tuple[str, ...]) -> tuple[str, str]:
        """The account exists with exactly this profile; its password (kept in the file)."""
        login = login.lower()
        path = self.folder / DEMO_FILE
        known = json.loads(path.read_text("utf-8")) if path.exists() else {}
        if self._accounts is None:
            self._accounts = _accounts(self.env)
        acc = self._accounts
        current = acc.get(login)
        if not current.exists:
            password = _password()
            known[login] = password  # kept before the account exists: a crash loses nothing
            write_private(path, json.dumps(known, indent=1))
            acc.create(None, login, f"演示账号 {login}", department, regions, duties, password)
        elif login not in known:  # an official's own account: never touched from here
            if self.ask is None:
                raise RuntimeError(f"{login} is not a demo account; sign in with its password")
            return login, self.ask(login)
        else:
            if current.department != department:
                raise RuntimeError(f"account {login} belongs to {current.department}")
            if current.regions != regions:
                acc.set_regions(None, login, regions)
            if current.duties != duties:
                acc.set_duties(None, login, duties)
            if not current.active:
                acc.enable(None, login)
            password = known[login]
        if known.get(login) != password:
            known[login] = password
            write_private(path, json.dumps(known, indent=1))
        return login, password

    def _sign_in(self, creds: tuple[str, str]) -> str:
        """The authorization code flow with PKCE, as a browser and the devtools client."""
        login, password = creds
        http = requests.Session()
        form = http.get(f"{self.issuer}/login", timeout=30)
        m = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if m is None:
            raise RuntimeError("the sign-in page has no CSRF token")
        verifier, challenge = _pkce()
        authorize = "/authorize?" + urllib.parse.urlencode({
            "response_type": "code", "client_id": "devtools", "redirect_uri": DEVTOOLS_REDIRECT,
            "scope": "openid", "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
            "code_challenge_method": "S256"})
        resp = http.post(f"{self.issuer}/login", timeout=30, allow_redirects=False,
                         data={"login": login, "password": password,
                               "csrf_token": m.group(1), "next": authorize})
        if resp.status_code != 303:
            raise RuntimeError(f"sign-in of {login} refused ({resp.status_code})")
        resp = http.get(f"{self.issuer}{authorize}", timeout=30, allow_redirects=False)
        location = resp.headers.get("Location", "")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        if "code" not in query:
            raise RuntimeError(f"no authorization code for {login}: {resp.status_code} "
                               f"{location or resp.text[:200]}")
        token = http.post(f"{self.issuer}/token", timeout=30, data={
            "grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": DEVTOOLS_REDIRECT, "client_id": "devtools",
            "code_verifier": verifier})
        token.raise_for_status()
        return str(token.json()["access_token"])
