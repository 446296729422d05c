"""Load the demo data set through the HTTP API: ``python -m devtools.demo.registry --url URL``.

Safe to run again: pushes of unchanged records store nothing, institutions that already have
a filing are skipped, and every write carries an Idempotency-Key so a retried request
(network error, 5xx) returns the first result instead of acting twice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from typing import Any

import requests
from tqdm import tqdm

from devtools.demo.registry_data import DemoInstitution, dataset
from devtools.devstack.dev_oidc import tokens_from_env
from shared.clock import SystemClock, china_today

PUSH_CHUNK = 100
PUSH_SCOPE = "registrations:push"  # market supervision's push client


class Client:
    """A tiny API client acting as one department per call."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url, self.timeout, self.session = url.rstrip("/"), timeout, requests.Session()
        self.tokens = tokens_from_env()  # the identity service of the stack

    def call(self, method: str, path: str, role: str, body: Any = None,
             scope: str = "openid") -> requests.Response:
        """One request; retried with the same Idempotency-Key on network errors and 5xx.
        ``scope`` other than openid: as the department's machine client."""
        headers = {"Authorization": f"Bearer {self.tokens(role, scope=scope)}"}
        if body is not None:
            raw = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
            headers["Idempotency-Key"] = "demo-" + hashlib.sha256(
                method.encode() + path.encode() + raw).hexdigest()[:32]
        for attempt in range(4):
            try:
                resp = self.session.request(method, self.url + path, json=body,
                                            headers=headers, timeout=self.timeout)
            except requests.ConnectionError:
                if attempt == 3:
                    raise
            else:
                if resp.status_code < 500 and resp.status_code != 409 or attempt == 3:
                    return resp
            time.sleep(0.5 * (attempt + 1))  # includes 409 "same key still in progress"
        raise AssertionError("unreachable")  # pragma: no cover


def _check(resp: requests.Response, *ok: int) -> dict[str, Any]:
    if resp.status_code not in ok:
        raise SystemExit(f"{resp.request.method} {resp.url} -> {resp.status_code}: {resp.text}")
    return resp.json()


def push(client: Client, items: list[DemoInstitution], bar: tqdm, tally: Counter) -> None:
    records = [i.registration for i in items if i.registration]
    for start in range(0, len(records), PUSH_CHUNK):
        chunk = records[start:start + PUSH_CHUNK]
        resp = client.call("POST", "/api/v1/enterprise-registrations/batch",
                           "market_supervision", {"records": chunk}, scope=PUSH_SCOPE)
        summary = _check(resp, 200)["summary"]
        if resp.headers.get("Idempotent-Replayed") == "true":  # a re-run: nothing new stored
            summary = {"replayed": sum(summary.values())}
        tally.update(f"push {k}" for k, n in summary.items() for _ in range(n))
        bar.update(len(chunk))


def file_one(client: Client, item: DemoInstitution, tally: Counter) -> None:
    """File (unless a filing exists already) and cancel the one meant to be cancelled."""
    base = f"/api/v1/institutions/{item.uscc}"
    if item.scenario == "unfiled":
        tally["left unfiled"] += 1
        return
    state = client.call("GET", base, "civil_affairs")
    if state.status_code == 404 or state.json().get("filing") is None:
        body = _check(client.call("POST", f"{base}/filing", "civil_affairs", item.filing),
                      200, 201)
        tally["filed late" if body["filing"]["late"] else "filed"] += 1
    else:
        tally["already filed"] += 1
    if item.scenario == "cancelled":
        reason = {"reason": "举办者申请停止经营（演示数据）"}
        _check(client.call("POST", f"{base}/filing/cancellation", "civil_affairs", reason), 200)
        tally["cancelled"] += 1


def load(client: Client, items: list[DemoInstitution], tally: Counter) -> dict[str, Any]:
    """Push, file, cancel, then run the unfiled check once; returns its report."""
    pushed = sum(1 for i in items if i.registration)
    with tqdm(total=pushed + len(items) + 1, desc="registry demo", unit="op") as bar:
        push(client, items, bar, tally)
        for item in items:
            file_one(client, item, tally)
            bar.update(1)
        report = _check(client.call("POST", "/api/v1/checks/unfiled", "civil_affairs"), 200)
        bar.update(1)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Load the registry demo data set over HTTP.")
    p.add_argument("--url", default=os.environ.get("REGISTRY_URL", "http://127.0.0.1:8001"))
    p.add_argument("--count", type=int, default=60, help="institutions (default 60)")
    args = p.parse_args(argv)
    items = dataset(args.count, china_today(SystemClock()))
    client, tally = Client(args.url), Counter[str]()
    try:
        report = load(client, items, tally)
    finally:
        client.session.close()
    tally["flagged unfiled now"] += len(report["flagged"])
    print(", ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
