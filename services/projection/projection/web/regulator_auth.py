"""Department-only pages: a bearer token in the Authorization header (curl, scripts) or the
server-side session of a sign-in through the identity service (shared/http/oidc_client.py:
/login, /auth/callback, /logout; cookie eldercare_session). Either way the access token is
verified on every request exactly like the APIs do, and the pages show only what lies
within the official's regions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
)

from projection.adapters import generations
from shared.http import oidc_client
from shared.http.auth import Principal, bearer_token, readable, verifier
from shared.oidc import InvalidToken

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
bp = Blueprint("regulator_auth", __name__, template_folder="templates")
unconfigured = Blueprint("regulator_sign_in_unconfigured", __name__)


def principal_from_request() -> Principal | None:
    token = bearer_token()
    if token is None:
        return oidc_client.session_authority()
    try:
        return verifier().authority(token)
    except InvalidToken:
        return None


def department_required(*roles: str) -> Callable[[F], F]:
    """HTML views for departments: 401 page (with a login link) or 403 page otherwise."""

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            p = principal_from_request()
            if p is None:
                return _page(401, "需要登录", "请先通过统一身份认证登录。")
            if roles and p.role not in roles:
                return _page(403, "无权访问", f"角色 {p.role} 不能查看此页面。")
            g.principal = p
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return deco


def districts_of(usccs: Iterable[str]) -> dict[str, str]:
    """The district of each institution the directory knows ("" when it has none)."""
    wanted = sorted({u for u in usccs if u})
    if not wanted:
        return {}
    coll = generations.active_collection(current_app.extensions["projection.db"]())
    return {d["_id"]: d.get("district_code") or ""
            for d in coll.find({"_id": {"$in": wanted}}, {"district_code": 1})}


def in_regions(rows: Iterable[R], district_of: Callable[[R], str]) -> list[R]:
    """Only the rows whose district lies within the signed-in official's regions (the APIs'
    rule, shared.http.auth.readable). A row without a known district is shown to national
    accounts only."""
    return readable(rows, lambda r: district_of(r) or "")


def institutions_in_regions(rows: Iterable[R], uscc_of: Callable[[R], str]) -> list[R]:
    """in_regions for rows that name an institution: its district comes from the directory."""
    listed = list(rows)
    districts = districts_of(uscc_of(r) for r in listed)
    return in_regions(listed, lambda r: districts.get(uscc_of(r), ""))


def require_institution_in_regions(uscc: str) -> None:
    """A single record of an institution outside the official's regions: a 403 page."""
    if not institutions_in_regions([uscc], lambda u: u):
        abort(_page(403, "无权访问", f"机构 {uscc} 不在您的辖区内，无权查看。"))


def _page(status: int, title: str, message: str) -> Response:
    body = render_template("regulator_login.html", title=title, message=message,
                           next=request.full_path.rstrip("?"),
                           configured=oidc_client.EXTENSION in current_app.extensions)
    return make_response(body, status)


@unconfigured.get("/login")
def login_unconfigured() -> Any:
    """Registered only when the pages' sign-in is not configured (no client id)."""
    return make_response(render_template(
        "regulator_login.html", title="部门登录", next="/", configured=False,
        message="本站未配置统一身份认证登录（PROJECTION_OIDC_CLIENT_ID）；"
                "部门接口仍可使用 Bearer 令牌调用。"), 404)
