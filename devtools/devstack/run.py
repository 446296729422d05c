"""`make run`: the platform on this machine, no Docker. Ctrl-C stops everything.

DEMO=1 forces the demo data set, DEMO=0 turns it off; by default it loads only into an empty
data folder (ELDERCARE_DATA_DIR, default ./data), so a restart shows the same pages.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from devtools.devstack.stack import ROOT, Stack, fixed_ports


def _demo_flag() -> bool | None:
    value = os.environ.get("DEMO", "")
    return {"1": True, "0": False}.get(value)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stack = Stack(Path(os.environ.get("ELDERCARE_DATA_DIR", ROOT / "data")), demo=_demo_flag(),
                  kafka_port=int(os.environ.get("KAFKA_PORT", "19092")),
                  mongo_port=int(os.environ.get("MONGO_PORT", "27018")), ports=fixed_ports())
    print("正在启动 / starting: embedded Kafka (Tansu) + MongoDB (nx-27017), services ...",
          flush=True)
    try:
        stack.start()
        _print_urls(stack)
        while not stop.wait(1.0):
            stack.restart_dead()
    finally:
        print("\n正在停止 / stopping ...", flush=True)
        stack.stop()
        print("已停止 / stopped.", flush=True)


def _print_urls(stack: Stack) -> None:
    print(f"""
养老机构综合监管平台 is running (data: {stack.data_dir})
  监管工作台 officials' console {stack.urls['console']}/  (sign in as an official)
  公开名录 public directory   {stack.urls['projection']}/
  open data (JSON / CSV)       {stack.urls['projection']}/open-data/institutions.json
{_service_lines(stack)}
  Kafka {stack.env['KAFKA_BOOTSTRAP_SERVERS']}   MongoDB {stack.env['MONGODB_URI']}
  logs                         {stack.log_dir}
{_admin_lines(stack)}
{_official_lines(stack)}
Tokens for curl (development only, through the identity service): make tokens
Stop: Ctrl-C
""", flush=True)


def _admin_lines(stack: Stack) -> str:
    url = stack.urls["identity"]
    login, password = stack.admin
    if password is None:
        return (f"统一身份认证 sign-in  {url}/login  (account administrator: {login}; "
                "its password was changed at first sign-in)")
    return (f"统一身份认证 sign-in  {url}/admin/accounts\n"
            f"  first account administrator: {login} / initial password {password}\n"
            f"  (must be changed at first sign-in; also in "
            f"{stack.data_dir / 'identity' / 'first-admin.txt'}, mode 0600)")


def _official_lines(stack: Stack) -> str:
    lines = [f"监管工作台 demo officials (sign in at {stack.urls['console']}/; development only, "
             "also in data/identity/demo-accounts.json, mode 0600):"]
    for login, password, does in stack.officials:
        lines.append(f"  {login:<14} {password}   {does}")
    return "\n".join(lines)


def _service_lines(stack: Stack) -> str:
    lines = []
    for name, url in stack.urls.items():
        if name.endswith("-metrics"):
            lines.append(f"  {name:<28} {url}/metrics")
        elif name == "identity":
            lines.append(f"  {'identity (OpenID Connect)':<28} "
                         f"{url}/.well-known/openid-configuration")
        elif name not in ("projection", "console"):
            lines.append(f"  {name + ' API (OpenAPI)':<28} {url}/api/v1/openapi.json")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
