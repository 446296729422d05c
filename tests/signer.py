"""The test session's token issuer: a development signer with keys in a temporary folder.

conftest.py points every service of the session at it (OIDC_ISSUER, OIDC_JWKS_URI); tests
mint tokens for any department, region and duty with ``mint``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from devtools.devstack.dev_oidc import KEYS_DIR_ENV, DevSigner
from shared.authority import ACCOUNT_ADMIN, BUSINESS_DUTIES, NATIONAL

ISSUER = "https://issuer.test.invalid"
SIGNER = DevSigner(Path(tempfile.mkdtemp(prefix="eldercare-test-keys-")), issuer=ISSUER)


def mint(sub: str, role: str, region: str = "", *, regions: tuple[str, ...] | None = None,
         duties: tuple[str, ...] = BUSINESS_DUTIES, scope: str = "openid",
         ttl: int = 600) -> str:
    """A token of department ``role``; national scope unless ``region``/``regions`` given.
    ``role="admin"`` stands for an account administrator (of civil affairs, duty
    account_admin only), who may act in no business workflow."""
    if role == "admin":
        role, duties = "civil_affairs", (ACCOUNT_ADMIN,)
    if regions is None:
        regions = (region,) if region else (NATIONAL,)
    return SIGNER.token(sub, role, regions, duties, scope, ttl)


def export_env(environ: dict[str, str]) -> None:
    """Point services and development tools of this process at the session's signer."""
    for name, value in {**SIGNER.env(), KEYS_DIR_ENV: str(SIGNER.folder)}.items():
        environ.setdefault(name, value)
