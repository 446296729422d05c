"""The public site's calls to the complaints service (ELDERCARE_COMPLAINTS_URL, else its
public URL, else the fixed port on 127.0.0.1). The public site decides nothing: it passes
the complainant's form on and shows the answer."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from shared.config import SERVICE_PORTS

PREFIX = "/api/v1/public/complaints"


def base_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get("ELDERCARE_COMPLAINTS_URL") or env.get("ELDERCARE_COMPLAINTS_PUBLIC_URL")
            or f"http://127.0.0.1:{SERVICE_PORTS['complaints']}").rstrip("/")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def errors(self) -> dict[str, list[str]]:
        found = self.body.get("errors") if isinstance(self.body, dict) else None
        return {k: list(v) if isinstance(v, list) else [str(v)]
                for k, v in (found or {}).items()}

    @property
    def detail(self) -> str:
        return str(self.body.get("detail", "")) if isinstance(self.body, dict) else ""


UNAVAILABLE = Answer(503, {"detail": "投诉受理系统暂时无法访问，请稍后再试（未提交任何内容）"})


def call(method: str, path: str, body: Any = None, key: str = "",
         timeout: float = 10.0) -> Answer:
    headers = {"Accept": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        resp = requests.request(method, base_url() + PREFIX + path, json=body,
                                headers=headers, timeout=timeout)
    except requests.RequestException:
        return UNAVAILABLE
    kind = resp.headers.get("Content-Type", "")
    return Answer(resp.status_code, resp.json() if "json" in kind and resp.content else None)
