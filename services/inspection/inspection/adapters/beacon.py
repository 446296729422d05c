"""The draw's public random value, read from the transparency log's public API
(GET /api/v1/log/beacon?key=...): the first signed checkpoint holding a logged record."""

from __future__ import annotations

from typing import Any

import requests

from inspection.domain.errors import Conflict


class LogBeacon:
    def __init__(self, url: str | None) -> None:
        self.url = url.rstrip("/") if url else None

    def value(self, key: str) -> dict[str, Any] | None:
        """The beacon for ``key``; None while the log has not signed a checkpoint holding it
        (or has not logged the record yet)."""
        if self.url is None:
            raise Conflict("未配置透明日志地址（ELDERCARE_TRANSLOG_URL），无法取得抽取所需的"
                           "公开随机数")
        try:
            resp = requests.get(f"{self.url}/api/v1/log/beacon", params={"key": key}, timeout=10)
        except requests.RequestException as exc:
            raise Conflict(f"暂时无法连接透明日志，请稍后再抽取（{type(exc).__name__}）") from exc
        if resp.status_code == 404:
            return None
        if resp.status_code != 200:
            raise Conflict(f"透明日志暂时不可用（HTTP {resp.status_code}），请稍后再抽取")
        body = resp.json()
        return {"key": body["key"], "index": int(body["index"]),
                "checkpoint": str(body["checkpoint"])}


def from_settings(extra: dict[str, str]) -> LogBeacon:
    """ELDERCARE_TRANSLOG_URL (internal address), else the log's public URL."""
    return LogBeacon(extra.get("ELDERCARE_TRANSLOG_URL")
                     or extra.get("ELDERCARE_TRANSLOG_PUBLIC_URL"))
