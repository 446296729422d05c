"""Where each disclosure on a public page is in the transparency log (translog service): its
leaf index and a link to the entry an outsider checks. Indexes never change, so they are kept
once found; when the log does not answer, pages show no link rather than fail."""

from __future__ import annotations

import os
import threading
from typing import Any

import requests

from shared.config import SERVICE_PORTS

_known: dict[str, int] = {}
_lock = threading.Lock()


def base_url() -> str:
    env = os.environ
    return (env.get("ELDERCARE_TRANSLOG_URL") or env.get("ELDERCARE_TRANSLOG_PUBLIC_URL")
            or f"http://127.0.0.1:{SERVICE_PORTS['translog']}").rstrip("/")


def public_url() -> str:
    return (os.environ.get("ELDERCARE_TRANSLOG_PUBLIC_URL") or base_url()).rstrip("/")


def leaves(keys: list[str], timeout: float = 1.0) -> dict[str, dict[str, Any]]:
    """key -> {"index", "url"} for the keys the log has (the first leaf of each)."""
    missing = [k for k in dict.fromkeys(keys) if k not in _known][:50]
    if missing:
        try:
            resp = requests.get(base_url() + "/api/v1/log/lookups",
                                params=[("key", k) for k in missing], timeout=timeout)
            found = resp.json()["found"] if resp.status_code == 200 else {}
        except (requests.RequestException, ValueError, KeyError):
            found = {}
        with _lock:
            for key, rows in found.items():
                if rows:
                    _known[key] = int(rows[0]["index"])
    out = {}
    for k in keys:
        if k in _known:
            out[k] = {"index": _known[k],
                      "url": f"{public_url()}/api/v1/log/entries/{_known[k]}"}
    return out
