"""Calls to the services' APIs with the signed-in official's own token.

The console decides nothing: every rule, scope and audit entry stays in the service that
answers. A write carries the Idempotency-Key of the form it came from, so a double click or
a reload is answered from the service's idempotency store and acts once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from shared.config import SERVICE_PORTS

SERVICES = ("registry", "inspection", "fire_safety", "credit", "escrow", "complaints", "risk",
            "projection")
LABELS = {"registry": "备案", "inspection": "双随机抽查", "fire_safety": "消防检查",
          "credit": "信用监管", "escrow": "押金监管", "complaints": "投诉举报",
          "risk": "风险预警", "projection": "公开信息"}

# send(service, method, path, headers, json body, raw body) -> (status, parsed body or None);
# a raw body (a file) is (bytes, content type) and replaces the JSON one
Raw = tuple[bytes, str] | None
Send = Callable[[str, str, str, dict[str, str], Any, Raw], tuple[int, Any]]


def service_urls(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """ELDERCARE_<SERVICE>_URL (internal address), else the service's public URL, else the
    fixed port on 127.0.0.1."""
    env = os.environ if env is None else env
    out = {}
    for s in SERVICES:
        key = s.upper()
        out[s] = (env.get(f"ELDERCARE_{key}_URL") or env.get(f"ELDERCARE_{key}_PUBLIC_URL")
                  or f"http://127.0.0.1:{SERVICE_PORTS[s]}").rstrip("/")
    return out


def http_sender(urls: Mapping[str, str], timeout: float = 15.0) -> Send:
    session = requests.Session()

    def send(service: str, method: str, path: str, headers: dict[str, str],
             body: Any, raw: Raw = None) -> tuple[int, Any]:
        if raw is not None:
            resp = session.request(method, urls[service] + path, timeout=timeout,
                                   headers={**headers, "Content-Type": raw[1]}, data=raw[0])
        else:
            resp = session.request(method, urls[service] + path, headers=headers, json=body,
                                   timeout=timeout)
        kind = resp.headers.get("Content-Type", "")
        return resp.status_code, resp.json() if "json" in kind and resp.content else None

    return send


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        if isinstance(self.body, dict):
            return str(self.body.get("detail") or self.body.get("title") or "")
        return ""

    @property
    def errors(self) -> dict[str, Any]:
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), dict):
            return dict(self.body["errors"])
        return {}


@dataclass(frozen=True)
class Gateway:
    send: Send

    def call(self, service: str, method: str, path: str, token: str, body: Any = None,
             key: str = "", raw: Raw = None) -> Answer:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        try:
            status, parsed = self.send(service, method, path, headers, body, raw)
        except requests.RequestException:
            return Answer(503, {"detail": f"{LABELS.get(service, service)}服务暂时无法访问，"
                                          "请稍后再试（未作任何修改）"})
        return Answer(status, parsed)

    def get(self, service: str, path: str, token: str) -> Answer:
        return self.call(service, "GET", path, token)
