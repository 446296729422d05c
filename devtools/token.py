"""Print a bearer token of the running development stack (a development convenience only:
it signs with the key folder `make run` created in data/dev-oidc; production tokens come from
the identity provider's sign-in).

    python -m devtools.token --role civil_affairs --sub ca-1 [--region 500103] [--duties clerk]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from devtools.devstack.dev_oidc import KEYS_DIR_ENV, signer_from_env
from shared.authority import BUSINESS_DUTIES, DEPARTMENTS, DUTIES, NATIONAL, valid_region

DEFAULT_DIR = Path("data") / "dev-oidc"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--role", "--department", dest="department", required=True,
                   choices=DEPARTMENTS)
    p.add_argument("--sub", default="demo-user", help="account id (no personal data)")
    p.add_argument("--region", action="append", default=[],
                   help=f"division code the account covers (repeatable; default {NATIONAL}, "
                        "the whole country)")
    p.add_argument("--duties", default=",".join(BUSINESS_DUTIES),
                   help=f"comma-separated, of {', '.join(DUTIES)}")
    p.add_argument("--scope", default="openid")
    a = p.parse_args(argv)
    regions = tuple(a.region) or (NATIONAL,)
    duties = tuple(d for d in a.duties.split(",") if d)
    if not all(valid_region(r) for r in regions) or not set(duties) <= set(DUTIES):
        p.error("regions are 2-, 4- or 6-digit division codes; duties from the list above")
    env = dict(os.environ)
    env.setdefault(KEYS_DIR_ENV, str(DEFAULT_DIR))
    if "OIDC_ISSUER" not in env:
        from devtools.devstack.dev_oidc import DEV_ISSUER
        env["OIDC_ISSUER"] = DEV_ISSUER
    print(signer_from_env(env).token(a.sub, a.department, regions, duties, a.scope))


if __name__ == "__main__":
    main()
