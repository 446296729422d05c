"""Print a bearer token of the running development stack, obtained from its identity service
(a development convenience only: it signs a demo account in through the provider's sign-in
form and the authorization code flow with PKCE, creating a demo account on first use with a
random password kept in data/identity/demo-accounts.json; for an account made on the admin
page it asks that account's password and changes nothing).

    python -m devtools.token --role civil_affairs --sub yz-clerk --region 500103 --duties clerk
    python -m devtools.token --role market_supervision --scope registrations:push   (machine)
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from pathlib import Path

from devtools.devstack.identity_dev import IdentityTokens
from devtools.devstack.identity_files import service_env
from shared.authority import BUSINESS_DUTIES, DEPARTMENTS, DUTIES, NATIONAL, valid_region
from shared.config import SERVICE_PORTS

DEFAULT_DIR = Path("data")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--role", "--department", dest="department", required=True,
                   choices=DEPARTMENTS)
    p.add_argument("--sub", default="", help="login of the demo account (no personal data)")
    p.add_argument("--region", action="append", default=[],
                   help=f"division code the account covers (repeatable; default {NATIONAL}, "
                        "the whole country)")
    p.add_argument("--duties", default=",".join(BUSINESS_DUTIES),
                   help=f"comma-separated, of {', '.join(DUTIES)}")
    p.add_argument("--scope", default="openid",
                   help="openid (an official) or a machine client's scope (registrations:push)")
    a = p.parse_args(argv)
    regions = tuple(a.region) or (NATIONAL,)
    duties = tuple(d for d in a.duties.split(",") if d)
    if not all(valid_region(r) for r in regions) or not set(duties) <= set(DUTIES):
        p.error("regions are 2-, 4- or 6-digit division codes; duties from the list above")
    data = Path(os.environ.get("ELDERCARE_DATA_DIR", DEFAULT_DIR))
    port = os.environ.get("IDENTITY_PORT", str(SERVICE_PORTS["identity"]))
    issuer = os.environ.get("IDENTITY_ISSUER", f"http://127.0.0.1:{port}")
    folder = data / "identity"
    if not (folder / "clients.json").exists():
        p.error(f"{folder}/clients.json not found: start the platform with `make run` first")
    env = {**os.environ, **service_env(folder, issuer, json.loads(
        (folder / "clients.json").read_text("utf-8")))}
    env.setdefault("MONGODB_URI", "mongodb://127.0.0.1:27018/?directConnection=true")
    tokens = IdentityTokens(env, ask=lambda login: getpass.getpass(f"{login} 的口令 / password: "))
    if a.scope != "openid":
        print(tokens(a.department, scope=a.scope))
    elif a.sub:
        print(tokens.official(a.sub, a.department, regions, duties))
    else:
        print(tokens(a.department))


if __name__ == "__main__":
    main()
