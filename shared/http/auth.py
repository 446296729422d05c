"""Bearer tokens of the OpenID Connect provider, verified against its JWKS (shared/oidc.py),
and the first gate of every protected view: the caller's department and duty.

The region gate lives in the application layer (the object's district is known only there):
a use case passes a ``Scope`` to the command runner, which checks it on the loaded state.
The account administrator (duty ``account_admin`` only) passes no gate here: it administers
accounts in the identity service and acts in no business workflow.

Tokens for local use come from the identity service (`make tokens`, a development
convenience; see services/identity/README.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import current_app, g, request

from shared.authority import (
    BUSINESS_DUTIES,
    DEPARTMENTS,
    DUTY_NAMES,
    Authority,
    Scope,
    check,
)
from shared.http.problems import Problem
from shared.oidc import InvalidToken, Verifier

# Every department may read; ROLES is the older name of the same tuple.
ROLES = DEPARTMENTS
F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
Principal = Authority  # the name views use for the verified caller


def verifier() -> Verifier:
    return current_app.extensions["oidc_verifier"]  # type: ignore[no-any-return]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_principal() -> Authority:
    """Verify the bearer token or answer 401."""
    token = bearer_token()
    if token is None:
        raise Problem(401, "Unauthorized", "需要有效的 Bearer 令牌")
    try:
        return verifier().authority(token)
    except InvalidToken as exc:
        raise Problem(401, "Unauthorized", str(exc)) from exc


def roles_required(*departments: str, duties: tuple[str, ...] = BUSINESS_DUTIES,
                   scope: str | None = None) -> Callable[[F], F]:
    """Admit callers of one of ``departments`` holding one of ``duties`` (and the OAuth
    ``scope`` when given: machine clients). Everyone else: 401 without a valid token, 403."""
    unknown = set(departments) - set(DEPARTMENTS)
    if unknown:
        raise ValueError(f"unknown departments {unknown}")

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.department not in departments:
                raise Problem(403, "Forbidden", f"部门 {principal.department} 无权执行此操作"
                                                f"（需要：{'、'.join(departments)}）")
            if scope is not None:
                if scope not in principal.scopes:
                    raise Problem(403, "Forbidden", f"令牌缺少授权范围 {scope}")
            elif not principal.has_any_duty(duties):
                needed = "或".join(DUTY_NAMES.get(d, d) for d in duties)
                raise Problem(403, "Forbidden", f"此操作须由{needed}办理")
            g.principal = principal
            return fn(*args, **kwargs)

        doc = getattr(wrapper, "_apidoc", {})
        manual = doc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        who = (f"scope {scope}" if scope is not None else f"duties: {', '.join(duties)}")
        manual["description"] = (manual.get("description", "") +
                                 f"\n\nDepartments: {', '.join(departments)}; {who}."
                                 ).strip()
        wrapper._apidoc = doc  # type: ignore[attr-defined]
        wrapper._authz = {"departments": departments, "duties": duties,  # type: ignore[attr-defined]
                          "scope": scope}
        return wrapper  # type: ignore[return-value]

    return deco


# -- regulator reads: the same regions as writes ------------------------------------------


def require_readable(district: str) -> None:
    """A single record of an object in ``district``: Forbidden (403) unless the signed-in
    official's regions cover it."""
    check(g.principal, Scope(district=district))


def readable(rows: Iterable[R], district_of: Callable[[R], str]) -> list[R]:
    """Only the rows whose district the signed-in official's regions cover (a list read)."""
    principal: Authority = g.principal
    return [r for r in rows if principal.covers(district_of(r))]


def readable_regions(rows: Iterable[R], region_of: Callable[[R], str]) -> list[R]:
    """Rows that belong to a region rather than a district (a roster entry of an official
    serving a county, a city or a province): those whose region and the official's overlap,
    either covering the other."""
    principal: Authority = g.principal
    return [r for r in rows if principal.overlaps(region_of(r))]
