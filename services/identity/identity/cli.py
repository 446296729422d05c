"""Administration from the server's shell: ``python -m identity.cli <command>``.

    keys init --file F          create the signing keys file (0600) unless it exists
    keys rotate --file F        a new signing key; the previous one stays published
    keys retire --file F --kid K
    create-admin --login L --name N [--department D] [--regions 50]
                                the first account administrator; prints its initial password
    create-account --login L --name N --department D --regions 500103 --duties clerk
                   [--password-stdin]
    disable --login L

Accounts are written through the same application layer and event store as the web app
(MONGODB_URI from the environment) and recorded as made by identity-cli.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from identity import keys as keyfile
from shared.authority import ACCOUNT_ADMIN
from shared.domain import DomainError, InvalidCommand


def _accounts():  # type: ignore[no-untyped-def]
    from identity.bootstrap import parts  # imports pymongo etc. only for account commands
    from identity.config import IdentitySettings

    ident = IdentitySettings(issuer="http://127.0.0.1", keys_file="", clients_file="")
    return parts(identity=ident).accounts


def _csv(raw: str) -> list[str]:
    return [x.strip() for x in raw.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m identity.cli")
    sub = ap.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keys")
    k.add_argument("action", choices=("init", "rotate", "retire"))
    k.add_argument("--file", required=True, type=Path)
    k.add_argument("--kid")
    ad = sub.add_parser("create-admin")
    ad.add_argument("--login", required=True)
    ad.add_argument("--name", required=True)
    ad.add_argument("--department", default="civil_affairs")
    ad.add_argument("--regions", default="50")
    ca = sub.add_parser("create-account")
    ca.add_argument("--login", required=True)
    ca.add_argument("--name", required=True)
    ca.add_argument("--department", required=True)
    ca.add_argument("--regions", required=True)
    ca.add_argument("--duties", required=True)
    ca.add_argument("--password-stdin", action="store_true",
                    help="read a password meeting the policy from stdin (no forced change)")
    di = sub.add_parser("disable")
    di.add_argument("--login", required=True)
    a = ap.parse_args(argv)
    try:
        if a.command == "keys":
            return _keys(a)
        accounts = _accounts()
        if a.command == "disable":
            accounts.disable(None, a.login, "由服务器命令行停用")
            print(f"disabled {a.login}")
            return 0
        if a.command == "create-admin":
            login, duties, regions = a.login, [ACCOUNT_ADMIN], _csv(a.regions)
            password = None
        else:
            login, duties, regions = a.login, _csv(a.duties), _csv(a.regions)
            password = sys.stdin.readline().rstrip("\n") if a.password_stdin else None
        existing = accounts.get(login.strip().lower())
        if existing.exists:
            print(f"account {existing.login} exists; nothing changed")
            return 0
        made = accounts.create(None, login, a.name, a.department, regions, duties, password)
        print(f"created {made.account.login}")
        if made.initial_password:
            print(f"initial password (shown once; must be changed at first sign-in): "
                  f"{made.initial_password}")
        return 0
    except InvalidCommand as exc:
        for field, messages in exc.errors.items():
            print(f"{field}: {'; '.join(messages)}", file=sys.stderr)
        return 2
    except (DomainError, keyfile.KeyFileError) as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _keys(a: argparse.Namespace) -> int:
    if a.action == "init":
        made = keyfile.init(a.file)
        print(f"{'created' if made else 'kept existing'} {a.file}")
    elif a.action == "rotate":
        print(f"new signing key {keyfile.rotate(a.file)}; the previous key stays published")
    else:
        if not a.kid:
            print("--kid is required", file=sys.stderr)
            return 2
        keyfile.retire(a.file, a.kid)
        print(f"retired {a.kid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
