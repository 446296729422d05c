"""The HTTP client every service's demo loader uses (demo tooling, not production code).

It mints a token per department role, sends writes with a deterministic Idempotency-Key (so a
re-run of a demo stores nothing new), retries 5xx and refused connections, and turns any
unexpected answer into a DemoError that says which request failed and why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import requests

from devtools.devstack.dev_oidc import tokens_from_env
from shared.authority import INSPECTOR, NATIONAL


class DemoError(Exception):
    """A request the demo needs failed; the message says which and why."""


class Client:
    """One service's API, acting as a demo user of each department (tokens minted here)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.tokens = tokens_from_env()  # the identity service of the stack
        self.url, self.timeout, self.session = url.rstrip("/"), timeout, requests.Session()
        self.replayed = False  # the last answer was a stored one (Idempotency-Key seen before)

    def token(self, role: str) -> str:
        """``role`` a department, or "<department>/<login>": that named inspector (a roster
        key, as the inspection service names drawn inspectors)."""
        if "/" in role:
            department, login = role.split("/", 1)
            return str(self.tokens.official(login, department, (NATIONAL,), (INSPECTOR,)))
        return str(self.tokens(role))

    def call(self, method: str, path: str, role: str, body: Any = None, *, key: bool = True,
             data: bytes | None = None, content_type: str = "") -> requests.Response:
        """One request; writes carry an Idempotency-Key and are retried on 5xx / network."""
        headers = {"Authorization": f"Bearer {self.token(role)}"}
        if body is not None:
            data = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        if method != "GET" and key:
            headers["Idempotency-Key"] = "demo-" + hashlib.sha256(
                f"{method} {path} ".encode() + (data or b"")).hexdigest()[:32]
        for attempt in range(4):
            try:
                resp = self.session.request(method, self.url + path, headers=headers,
                                            data=data, timeout=self.timeout)
            except requests.ConnectionError as exc:
                if attempt == 3:
                    raise DemoError(f"{method} {self.url}{path}: {exc}") from exc
            else:
                busy = resp.status_code == 409 and "处理中" in resp.text
                if resp.status_code < 500 and not busy or attempt == 3:
                    self.replayed = "Idempotent-Replayed" in resp.headers
                    return resp
            time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def ok(self, method: str, path: str, role: str, body: Any = None, *,
           expect: tuple[int, ...] = (200, 201), key: bool = True) -> dict[str, Any]:
        """The JSON answer of a request that must succeed, else DemoError."""
        return _checked(self.call(method, path, role, body, key=key), expect)

    def get(self, path: str, role: str) -> dict[str, Any] | None:
        """The resource, or None when it does not exist (404)."""
        resp = self.call("GET", path, role)
        return None if resp.status_code == 404 else _checked(resp, (200,))

    def new(self, method: str, path: str, role: str, body: Any = None) -> bool:
        """A create-or-same write: True when it stored something now (201, not replayed)."""
        resp = self.call(method, path, role, body)
        _checked(resp, (200, 201))
        return resp.status_code == 201 and not self.replayed


def _checked(resp: requests.Response, expect: tuple[int, ...]) -> dict[str, Any]:
    if resp.status_code not in expect:
        raise DemoError(f"{resp.request.method} {resp.url} -> {resp.status_code}: "
                        f"{resp.text[:500]}")
    return resp.json()


def check_registry(registry_url: str, usccs: list[str]) -> None:
    """The registry demo must have filed these institutions (fails with a clear message)."""
    reg = Client(registry_url)
    try:
        missing = [u for u in usccs if not ((reg.get(f"/api/v1/institutions/{u}",
                                                     "civil_affairs") or {}).get("filing"))]
    finally:
        reg.session.close()
    if missing:
        raise DemoError(f"registry demo institutions not filed at {registry_url}: "
                        f"{', '.join(missing)} (run python -m devtools.demo.registry first)")



def run_demo(name: str, default_url: str, load: Callable[[Client, argparse.Namespace], Any],
             argv: list[str] | None = None,
             add_args: Callable[[argparse.ArgumentParser], None] | None = None) -> int:
    """The command line of a service's demo loader: parse, load, print a one-line summary."""
    p = argparse.ArgumentParser(description=f"Load the {name} demo data set over HTTP.")
    p.add_argument("--url", default=os.environ.get(f"{name.upper()}_URL", default_url))
    p.add_argument("--registry-url", default=None,
                   help="check first that the registry demo institutions are filed there")
    if add_args is not None:
        add_args(p)
    args = p.parse_args(argv)
    client, started = Client(args.url), time.monotonic()
    try:
        tally = load(client, args)
    except DemoError as exc:
        print(f"{name} demo FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        client.session.close()
    print(f"{name} demo ({time.monotonic() - started:.1f}s): "
          + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())), flush=True)
    return 0
