"""The provider's HTTP endpoints: OIDC protocol, sign-in, password, sign-out, administration.

Sessions are server-side (identity.adapters.Sessions); the cookie holds only a random id
(HttpOnly, SameSite=Lax, Secure over TLS). Every form carries the session's CSRF token,
the sign-in form too (an anonymous session is opened to hold it), and the session id is
replaced at sign-in so a planted cookie never becomes a signed-in one.
"""

from __future__ import annotations

import hmac
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    redirect,
    render_template_string,
    request,
)

from identity import keys as keyfile
from identity.api import templates as t
from identity.app.accounts import Accounts, SignInRefused
from identity.app.accounts import revocations as account_revocations
from identity.domain.account import Account
from identity.domain.ports import Session, SessionStore
from identity.oauth import Provider
from shared.authority import (
    ACCOUNT_ADMIN,
    DEPARTMENT_NAMES,
    DEPARTMENTS,
    DUTIES,
    DUTY_NAMES,
    Authority,
)
from shared.domain import DomainError, InvalidCommand
from shared.oidc import LEEWAY, MAX_LIFETIME

COOKIE = "idp_session"
EXTENSION = "identity"


@dataclass
class Web:
    provider: Provider
    server: AuthorizationServer
    accounts: Accounts
    sessions: SessionStore


def _web() -> Web:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def page(title: str, body: str = "", errors: list[str] | None = None,
         notices: list[str] | None = None, status: int = 200, who: str = "",
         **values: Any) -> Response:
    html = render_template_string(t.LAYOUT, title=title, errors=errors or [],
                                  notices=notices or [], who=who,
                                  body=render_template_string(body, **values) if body else "")
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _set_cookie(resp: Response, session: Session) -> Response:
    resp.set_cookie(COOKIE, session.sid, httponly=True, samesite="Lax", secure=request.is_secure,
                    path="/")
    return resp


def _session() -> Session | None:
    w = _web()
    return w.sessions.get(request.cookies.get(COOKIE), w.provider.clock.now())


def _anonymous() -> Session:
    """The current session, or a new anonymous one (to hold a form's CSRF token)."""
    found = _session()
    return found or _web().sessions.open(_web().provider.clock.now())


def _signed_in() -> tuple[Session, Account] | None:
    s = _session()
    if s is None or not s.login:
        return None
    acct = _web().accounts.get(s.login)
    if not acct.exists or not acct.active:
        _web().sessions.close(s.sid)
        return None
    return s, acct


def _csrf_ok(session: Session | None) -> bool:
    sent = request.form.get("csrf_token", "")
    return session is not None and bool(sent) and hmac.compare_digest(session.csrf, sent)


def _csrf_refused() -> Response:
    return page("请求已失效", t.MESSAGE, errors=["表单已过期或来源不明（CSRF 校验未通过），"
                                             "请返回刷新页面后重试。"], status=403)


def _safe_next(value: str | None) -> str:
    """Only a path on this provider (never another site: no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _who(acct: Account) -> str:
    return f"{acct.name}（{DEPARTMENT_NAMES.get(acct.department, acct.department)}）"


def authority_of(acct: Account) -> Authority:
    return Authority(sub=acct.login, department=acct.department, regions=acct.regions,
                     duties=acct.duties, name=acct.name)


protocol = Blueprint("oidc", __name__)


@protocol.get("/.well-known/openid-configuration")
def discovery() -> dict[str, Any]:
    iss = _web().provider.issuer
    return {"issuer": iss, "authorization_endpoint": f"{iss}/authorize",
            "token_endpoint": f"{iss}/token", "userinfo_endpoint": f"{iss}/userinfo",
            "jwks_uri": f"{iss}/jwks.json", "end_session_endpoint": f"{iss}/logout",
            "eldercare_revocations_uri": f"{iss}/revocations",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["EdDSA"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post", "none"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "registrations:push"],
            "claims_supported": ["sub", "name", "department", "regions", "duties", "scope"]}


@protocol.get("/jwks.json")
def jwks() -> Response:
    resp = current_app.json.response(keyfile.public(_web().provider.keys))
    resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


@protocol.get("/revocations")
def revocations() -> Response:
    """Accounts whose earlier tokens no longer count (resource servers with
    OIDC_REVOCATIONS_URI fetch it every few seconds): by the SHA-256 of the login, the
    second before which tokens were issued, for changes recent enough to matter (a token
    lives at most MAX_LIFETIME seconds)."""
    window = MAX_LIFETIME + LEEWAY + 60
    resp = current_app.json.response({
        "window_seconds": window,
        "revoked": account_revocations(_web().accounts.store, time.time(), window)})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@protocol.route("/authorize", methods=["GET"])
def authorize() -> Response:
    w = _web()
    found = _signed_in()
    if found is None:
        return redirect("/login?" + urllib.parse.urlencode({"next": request.full_path}))
    session, acct = found
    if acct.must_change_password:
        return redirect("/password?" + urllib.parse.urlencode({"next": request.full_path}))
    try:
        grant = w.server.get_consent_grant(end_user=acct)
    except OAuth2Error as exc:  # a bad client or redirect URI: never redirect, explain
        return page("登录请求无效", t.MESSAGE, errors=[
            f"应用的登录请求无效：{exc.error}（{exc.description or ''}）"], status=400)
    g.auth_time = session.auth_time or w.provider.clock.now()
    return w.server.create_authorization_response(grant_user=acct, grant=grant)  # type: ignore[no-any-return]


@protocol.post("/token")
def token() -> Response:
    return _web().server.create_token_response()  # type: ignore[no-any-return]


def _own_token(token: str, audience: str | None) -> dict[str, Any] | None:
    """The claims of a token this provider signed with one of its live keys (issuer pinned,
    EdDSA only), or None. ``audience`` None: an id_token_hint, which may have expired and
    names a client as audience."""
    p = _web().provider
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(k for k in p.keys if k["kid"] == kid)
        public = jwt.PyJWK({k: v for k, v in key.items() if k != "d"})
        if audience is None:
            return jwt.decode(token, public.key, algorithms=["EdDSA"], issuer=p.issuer,
                              options={"verify_exp": False, "verify_aud": False})
        return jwt.decode(token, public.key, algorithms=["EdDSA"], audience=audience,
                          issuer=p.issuer)
    except (StopIteration, jwt.PyJWTError):
        return None


@protocol.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> Response | tuple[dict[str, Any], int] | dict[str, Any]:
    p = _web().provider
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return {"error": "invalid_token"}, 401
    claims = _own_token(auth[7:], audience=p.audience)
    if claims is None:
        return {"error": "invalid_token"}, 401
    acct = _web().accounts.get(str(claims["sub"]))
    if not acct.exists or not acct.active:
        return {"error": "invalid_token"}, 401
    return {"sub": acct.login, "name": acct.name, "department": acct.department,
            "regions": list(acct.regions), "duties": list(acct.duties)}


pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> Response:
    found = _signed_in()
    if found is None:
        return redirect("/login")
    session, acct = found
    return page("统一身份认证", t.SIGNED_IN, who=_who(acct), name=acct.name, login=acct.login,
                csrf=session.csrf, admin=acct.is_account_admin)


@pages.get("/login")
def login_form() -> Response:
    s = _anonymous()
    return _set_cookie(page("登录", t.LOGIN, csrf=s.csrf, login="",
                            next=_safe_next(request.args.get("next"))), s)


@pages.post("/login")
def login() -> Response:
    w = _web()
    s = _session()
    if not _csrf_ok(s):
        return _csrf_refused()
    assert s is not None
    name, nxt = request.form.get("login", "")[:64], _safe_next(request.form.get("next"))
    try:
        acct = w.accounts.sign_in(name, request.form.get("password", "")[:256])
    except SignInRefused as exc:
        return page("登录", t.LOGIN, errors=[exc.detail], status=401, csrf=s.csrf,
                    login=name, next=nxt)
    w.sessions.close(s.sid)  # a new id once signed in (no session fixation)
    fresh = w.sessions.open(w.provider.clock.now(), login=acct.login)
    if acct.must_change_password:
        nxt = "/password?" + urllib.parse.urlencode({"next": nxt})
    return _set_cookie(redirect(nxt, 303), fresh)  # type: ignore[arg-type]


@pages.get("/password")
def password_form() -> Response:
    found = _signed_in()
    if found is None:
        return redirect("/login?" + urllib.parse.urlencode({"next": request.full_path}))
    s, acct = found
    rules = _web().provider.rules
    notices = ["首次登录须修改初始口令。"] if acct.must_change_password else []
    return page("修改口令", t.PASSWORD, notices=notices, who=_who(acct), csrf=s.csrf,
                next=_safe_next(request.args.get("next")), min_length=rules.password_min_length,
                min_classes=rules.password_min_classes)


@pages.post("/password")
def change_password() -> Response:
    found = _signed_in()
    if found is None:
        return redirect("/login")
    s, acct = found
    if not _csrf_ok(s):
        return _csrf_refused()
    rules = _web().provider.rules
    nxt = _safe_next(request.form.get("next"))
    new = request.form.get("new", "")[:300]
    try:
        if new != request.form.get("again", ""):
            raise InvalidCommand({"again": ["两次输入的新口令不一致"]})
        _web().accounts.change_password(acct.login, request.form.get("current", "")[:300], new)
    except DomainError as exc:
        errors = ([m for ms in exc.errors.values() for m in ms]
                  if isinstance(exc, InvalidCommand) else [str(exc)])
        return page("修改口令", t.PASSWORD, errors=errors, status=422, who=_who(acct),
                    csrf=s.csrf, next=nxt, min_length=rules.password_min_length,
                    min_classes=rules.password_min_classes)
    return redirect(nxt, 303)  # type: ignore[return-value]


def _logout_target(client_id: str | None, uri: str | None) -> str | None:
    """A post-logout redirect only to a registered client's own origin."""
    if not uri:
        return None
    target = urllib.parse.urlsplit(uri)
    for client in _web().provider.clients.values():
        if client_id and client.client_id != client_id:
            continue
        for registered in (*client.redirect_uris, *client.post_logout_redirect_uris):
            r = urllib.parse.urlsplit(registered)
            if (r.scheme, r.netloc) == (target.scheme, target.netloc) and target.scheme:
                return uri
    return None


def _hint_matches(hint: str | None, login: str) -> bool:
    """An id_token_hint we signed for this very account (expired is fine: it is a hint)."""
    if not hint:
        return False
    claims = _own_token(hint, audience=None)
    return claims is not None and claims.get("sub") == login


def _signed_out(target: str | None) -> Response:
    resp = (redirect(target, 303) if target else  # type: ignore[assignment]
            page("已退出登录", t.MESSAGE, notices=["您已安全退出登录。"]))
    resp.delete_cookie(COOKIE, path="/")
    return resp  # type: ignore[return-value]


@pages.get("/logout")
def logout_confirm() -> Response:
    target = _logout_target(request.args.get("client_id"),
                            request.args.get("post_logout_redirect_uri"))
    found = _signed_in()
    if found is None:
        return _signed_out(target)
    s, acct = found
    if _hint_matches(request.args.get("id_token_hint"), acct.login):
        _web().sessions.close(s.sid)  # the client proved whose session it ends
        return _signed_out(target)
    return page("退出登录", t.LOGOUT_CONFIRM, who=_who(acct), csrf=s.csrf, redirect=target or "")


@pages.post("/logout")
def logout() -> Response:
    s = _session()
    if not _csrf_ok(s):
        return _csrf_refused()
    assert s is not None
    _web().sessions.close(s.sid)
    return _signed_out(_logout_target(None, request.form.get("post_logout_redirect_uri")))


admin = Blueprint("admin", __name__)


def _admin() -> tuple[Session, Account] | Response:
    found = _signed_in()
    if found is None:
        return redirect("/login?" + urllib.parse.urlencode({"next": "/admin/accounts"}))
    s, acct = found
    if acct.must_change_password:
        return redirect("/password?next=/admin/accounts")
    if ACCOUNT_ADMIN not in acct.duties:
        return page("无权访问", t.MESSAGE, errors=["账号管理页面只供账号管理员使用。"], status=403,
                    who=_who(acct))
    return s, acct


def _split(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.replace("，", ",").replace("、", ",").split(",")
                 if x.strip())


def _admin_page(s: Session, acct: Account, errors: list[str] | None = None,
                notices: list[str] | None = None, status: int = 200) -> Response:
    listed = [dict(login=a.login, name=a.name, department=a.department, regions=a.regions,
                   duties=a.duties, active=a.active,
                   duty_names="、".join(DUTY_NAMES.get(d, d) for d in a.duties))
              for a in _web().accounts.all()]
    return page("账号管理", t.ADMIN, errors=errors, notices=notices, status=status,
                who=_who(acct), csrf=s.csrf, accounts=listed, me=acct.login,
                departments=[(d, DEPARTMENT_NAMES[d]) for d in DEPARTMENTS],
                duties=[(d, DUTY_NAMES[d]) for d in DUTIES], dept_names=DEPARTMENT_NAMES)


def _admin_action(action: Callable[[Authority], str]) -> Response:
    found = _admin()
    if isinstance(found, Response):
        return found
    s, acct = found
    if not _csrf_ok(s):
        return _csrf_refused()
    try:
        notice = action(authority_of(acct))
    except InvalidCommand as exc:
        return _admin_page(s, acct, errors=[f"{k}：{m}" for k, ms in exc.errors.items()
                                            for m in ms], status=422)
    except DomainError as exc:
        return _admin_page(s, acct, errors=[str(exc)], status=exc.status)
    return _admin_page(s, acct, notices=[notice])


@admin.get("/admin/accounts")
def accounts_page() -> Response:
    found = _admin()
    return found if isinstance(found, Response) else _admin_page(*found)


@admin.post("/admin/accounts")
def create_account() -> Response:
    form = request.form

    def act(by: Authority) -> str:
        made = _web().accounts.create(by, form.get("login", ""), form.get("name", ""),
                                      form.get("department", ""), _split(form.get("regions", "")),
                                      tuple(form.getlist("duties")))
        if made.initial_password is None:
            return f"账号 {made.account.login} 已存在，未作改动。"
        return (f"已创建账号 {made.account.login}。初始口令（只显示这一次，请当面或通过安全渠道"
                f"交给本人，首次登录须修改）：{made.initial_password}")

    return _admin_action(act)


@admin.post("/admin/accounts/<login>")
def change_account(login: str) -> Response:
    form = request.form
    accounts = _web().accounts

    def act(by: Authority) -> str:
        action = form.get("action", "")
        if action == "disable":
            accounts.disable(by, login, "账号管理员停用")
            return f"已停用 {login}，其登录会话已全部结束。"
        if action == "enable":
            accounts.enable(by, login)
            return f"已启用 {login}。"
        if action == "reset":
            secret = accounts.reset_password(by, login)
            return f"{login} 的新初始口令（只显示这一次，首次登录须修改）：{secret}"
        if action == "profile":
            accounts.set_regions(by, login, _split(form.get("regions", "")))
            accounts.set_duties(by, login, _split(form.get("duties", "")))
            return f"已保存 {login} 的辖区和职责。"
        raise InvalidCommand({"action": ["未知操作"]})

    return _admin_action(act)


def install(app: Flask, web: Web) -> None:
    app.extensions[EXTENSION] = web
    for bp in (protocol, pages, admin):
        app.register_blueprint(bp)

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'")
        return resp
