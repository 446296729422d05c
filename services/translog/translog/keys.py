"""The log's signing key (TRANSLOG_KEY_FILE): no default anywhere.

``python -m translog.keys init --file PATH [--name NAME]`` writes a new Ed25519 key (mode
0600; an existing file is never overwritten). ``python -m translog.keys public --file PATH``
prints the verifier key outsiders are given, out of band, to check checkpoints.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
from collections.abc import Mapping
from pathlib import Path

from shared.signednote import Signer

ENV = "TRANSLOG_KEY_FILE"
DEFAULT_NAME = "eldercare.example.gov.cn/disclosures"


class KeyMissing(RuntimeError):
    """The checkpoint signer refuses to start: the message says what to set."""


def load(env: Mapping[str, str] | None = None) -> Signer:
    env = os.environ if env is None else env
    path = env.get(ENV, "").strip()
    if not path:
        raise KeyMissing(f"{ENV} is not set: create it with `python -m translog.keys init "
                         "--file PATH`; refusing to start")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Signer.from_private_bytes(str(data["name"]),
                                         base64.b64decode(data["private"], validate=True))
    except (OSError, ValueError, KeyError) as exc:
        raise KeyMissing(f"{ENV}={path} cannot be used ({exc}); refusing to start") from None


def write_new(path: Path, name: str = DEFAULT_NAME) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    signer = Signer.generate(name)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"name": name, "private": base64.b64encode(signer.private_bytes()).decode()},
                  out)
    return True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m translog.keys")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="write a new signing key (never overwrites)")
    init.add_argument("--file", required=True, type=Path)
    init.add_argument("--name", default=DEFAULT_NAME)
    pub = sub.add_parser("public", help="print the verifier key")
    pub.add_argument("--file", required=True, type=Path)
    args = p.parse_args(argv)
    if args.command == "init":
        print(f"wrote {args.file}" if write_new(args.file, args.name)
              else f"{args.file} exists; left unchanged")
        return 0
    print(load({ENV: str(args.file)}).verifier_key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
