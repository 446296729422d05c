"""Load the credit demo through the HTTP API: ``python -m credit.demo --url URL``.

Four penalty decisions at registry demo institutions (a warning that is never published, a
low fine and two larger fines, published), and one serious-dishonesty listing: proposed by
fire rescue, decided by civil affairs, its joint-punishment measures reported executed by
their departments (see credit.demo_data).

Safe to run again: each penalty and the listing are read first and only what is missing is
done; writes carry an Idempotency-Key.
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

from credit import demo_data as dd
from shared.clock import SystemClock, china_today
from shared.config import DEV_JWT_SECRET
from shared.http.auth import mint


class DemoError(Exception):
    """A request the demo needs failed; the message says which and why."""


class Client:
    """One service's API, acting as a demo user of each department (tokens minted here)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.secret = os.environ.get("JWT_SECRET", DEV_JWT_SECRET)
        self.url, self.timeout, self.session = url.rstrip("/"), timeout, requests.Session()
        self.tokens: dict[str, str] = {}
        self.replayed = False  # the last answer was a stored one (Idempotency-Key seen before)

    def token(self, role: str) -> str:
        if role not in self.tokens:
            self.tokens[role] = mint(self.secret, f"demo-{role}", role, ttl_seconds=3600)
        return self.tokens[role]

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
                        f"{', '.join(missing)} (run python -m registry.demo first)")


def penalty(client: Client, p: dd.DemoPenalty, today: Any, tally: Counter) -> None:
    """Record the decision unless it is there; publish it unless it is a warning."""
    pid = dd.penalty_id_for(p.decision_no(today))
    state = client.get(f"/api/v1/penalties/{pid}", p.role)
    if state is None:
        state = client.ok("POST", "/api/v1/penalties", p.role, p.body(today))
        tally["penalties recorded"] += 1
    else:
        tally["penalties unchanged"] += 1
    if p.published and state["published_on"] is None:
        client.ok("POST", f"/api/v1/penalties/{pid}/publication", p.role)
        tally["penalties published"] += 1
    elif not p.published:
        tally["warnings (not published)"] += 1


def listing(client: Client, today: Any, bar: tqdm, tally: Counter) -> dict[str, Any] | None:
    """Proposal by fire rescue, then the decision by civil affairs (each once)."""
    item = dd.LISTING
    uscc = item.uscc(today)
    path = f"/api/v1/dishonesty/{uscc}"
    state = client.get(path, "civil_affairs")
    cur = (state or {}).get("listing")
    if cur is None or cur["status"] in ("rejected", "delisted"):
        if cur is None:
            client.ok("POST", f"{path}/proposal", item.proposer, item.proposal(today),
                      expect=(201,))
            tally["listing proposed"] += 1
            cur = {"status": "proposed"}
        else:
            tally[f"listing left {cur['status']}"] += 1
    bar.update(1)
    if cur["status"] == "proposed":
        cur = client.ok("POST", f"{path}/decision", "civil_affairs",
                        item.decision(today))["listing"]
        tally["listing decided"] += 1
    elif cur["status"] == "listed":
        tally["listing unchanged"] += 1
    bar.update(1)
    return cur if cur["status"] == "listed" else None


def measures(client: Client, uscc: str, listed: dict[str, Any], today: Any,
             tally: Counter) -> None:
    """Each department reports its measures executed (once)."""
    for m in listed.get("measures", []):
        if m["executed_on"] is None and m["lifted_on"] is None:
            client.ok("POST", f"/api/v1/dishonesty/{uscc}/measures/{m['measure_id']}/execution",
                      m["department"], {"note": dd.execution_note(m["department"], m["code"],
                                                                  today)})
            tally["measures executed"] += 1
        else:
            tally["measures unchanged"] += 1
    tally["measures issued"] = len(listed.get("measures", []))


def load(client: Client, registry_url: str | None) -> Counter:
    today = china_today(SystemClock())
    tally: Counter[str] = Counter()
    with tqdm(total=len(dd.PENALTIES) + 4, desc="credit demo", unit="op") as bar:
        if registry_url:
            check_registry(registry_url, [*(p.uscc(today) for p in dd.PENALTIES),
                                          dd.LISTING.uscc(today)])
        bar.update(1)
        for p in dd.PENALTIES:
            penalty(client, p, today, tally)
            bar.update(1)
        listed = listing(client, today, bar, tally)
        if listed is not None:
            measures(client, dd.LISTING.uscc(today), listed, today, tally)
        bar.update(1)
    return tally


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Load the credit demo data set over HTTP.")
    p.add_argument("--url", default=os.environ.get("CREDIT_URL", "http://127.0.0.1:8004"))
    p.add_argument("--registry-url", default=None,
                   help="check first that the registry demo institutions are filed there")
    args = p.parse_args(argv)
    client, started = Client(args.url), time.monotonic()
    try:
        tally = load(client, args.registry_url)
    except DemoError as exc:
        print(f"credit demo FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        client.session.close()
    print(f"credit demo ({time.monotonic() - started:.1f}s): "
          + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
