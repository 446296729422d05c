"""JWT bearer auth with department roles, and a CLI to mint tokens for local use.

    python -m shared.http.auth --role civil_affairs --sub zhang.wei
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import jwt
from flask import current_app, g, request

from shared.config import DEV_JWT_SECRET
from shared.http.problems import Problem

ROLES = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
         "public_security", "finance", "admin")
ISSUER = "eldercare-platform"
ALGORITHM = "HS256"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user acting for one department."""

    sub: str
    role: str
    region: str = ""


def mint(secret: str, sub: str, role: str, ttl_seconds: int = 30 * 24 * 3600,
         region: str = "") -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    now = int(time.time())
    claims = {"sub": sub, "role": role, "iss": ISSUER, "iat": now, "exp": now + ttl_seconds}
    if region:
        claims["region"] = region
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode(secret: str, token: str) -> Principal:
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                        options={"require": ["sub", "role", "exp", "iss"]})
    if claims["role"] not in ROLES:
        raise jwt.InvalidTokenError("unknown role")
    return Principal(claims["sub"], claims["role"], claims.get("region", ""))


def current_principal() -> Principal:
    """Decode the bearer token or answer 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "Unauthorized", "需要有效的 Bearer 令牌")
    try:
        return decode(current_app.config["JWT_SECRET"], token.strip())
    except jwt.PyJWTError as exc:
        raise Problem(401, "Unauthorized", f"令牌无效：{exc}") from exc


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow only callers whose department role is listed (admin always allowed)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.role not in roles and principal.role != "admin":
                raise Problem(403, "Forbidden",
                              f"角色 {principal.role} 无权执行此操作（需要：{'、'.join(roles)}）")
            g.principal = principal
            return fn(*args, **kwargs)

        doc = getattr(wrapper, "_apidoc", {})
        manual = doc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        manual["description"] = (manual.get("description", "") +
                                 f"\n\nRoles: {', '.join(roles)} (or admin).").strip()
        wrapper._apidoc = doc  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco


def main(argv: list[str] | None = None) -> None:
    import os

    p = argparse.ArgumentParser(description="Mint a bearer token for local use.")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--sub", default="demo-user", help="user id (no personal data)")
    p.add_argument("--region", default="", help="district code the user works in")
    p.add_argument("--days", type=int, default=30)
    a = p.parse_args(argv)
    secret = os.environ.get("JWT_SECRET", DEV_JWT_SECRET)
    print(mint(secret, a.sub, a.role, a.days * 86400, a.region))


if __name__ == "__main__":
    main()
