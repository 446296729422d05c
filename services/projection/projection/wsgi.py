"""WSGI callable for servers that want a module attribute; the app is built on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

_app: Flask | None = None


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Build the app on the first request (no work at import time), then delegate."""
    global _app
    if _app is None:
        from projection.bootstrap import create_app

        _app = create_app()
    return _app(environ, start_response)
