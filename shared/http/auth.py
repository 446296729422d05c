"""JWT bearer auth with department roles, and a CLI to mint tokens for local use.

    python -m shared.http.auth --role civil_affairs --sub zhang.wei
"""

from __future__ import annotations

import argparse
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import jwt
from flask import current_app, g, request

from shared.config import DEV_SECRET_FILE, MissingSecret, configured_secret
from shared.domain import within_region
from shared.http.problems import Problem

ROLES = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
         "public_security", "finance", "admin")
ISSUER = "eldercare-platform"
ALGORITHM = "HS256"
F = TypeVar("F", bound=Callable[..., Any])
# The region claim: an administrative division code or prefix (2-digit province, 4-digit city,
# 6-digit county; '500100' stands for '5001'). Without it a token is not yet scoped to a region
# (accounts with regions come with the identity service); services then check only departments.
REGION = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?$")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user acting for one department."""

    sub: str
    role: str
    region: str = ""

    def covers(self, district_code: str) -> bool:
        """The district lies in the caller's region (prefix match); unscoped tokens cover all."""
        return not self.region or within_region(self.region, district_code)


def mint(secret: str, sub: str, role: str, ttl_seconds: int = 30 * 24 * 3600,
         region: str = "") -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if region and not REGION.match(region):
        raise ValueError(f"region {region!r} must be a 2-, 4- or 6-digit division code")
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
    region = claims.get("region", "")
    if not isinstance(region, str) or (region and not REGION.match(region)):
        raise jwt.InvalidTokenError("region must be a 2-, 4- or 6-digit division code")
    return Principal(claims["sub"], claims["role"], region)


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


def roles_required(*roles: str, admin: bool = True) -> Callable[[F], F]:
    """Allow only callers whose department role is listed (admin too unless ``admin=False``:
    where a department owns the thing, the account administrator manages nothing)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.role not in roles and not (admin and principal.role == "admin"):
                raise Problem(403, "Forbidden",
                              f"角色 {principal.role} 无权执行此操作（需要：{'、'.join(roles)}）")
            g.principal = principal
            return fn(*args, **kwargs)

        doc = getattr(wrapper, "_apidoc", {})
        manual = doc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        manual["description"] = (manual.get("description", "") +
                                 f"\n\nRoles: {', '.join(roles)}"
                                 f"{' (or admin)' if admin else ''}.").strip()
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
    env = dict(os.environ)
    if "JWT_SECRET" not in env and DEV_SECRET_FILE.exists():  # the one `make run` generated
        env["JWT_SECRET"] = DEV_SECRET_FILE.read_text(encoding="utf-8").strip()
    try:
        secret = configured_secret(env)
    except MissingSecret as exc:
        raise SystemExit(f"{exc}; or start `make run` once, which writes {DEV_SECRET_FILE}"
                         ) from None
    print(mint(secret, a.sub, a.role, a.days * 86400, a.region))


if __name__ == "__main__":
    main()
