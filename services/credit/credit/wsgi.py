"""gunicorn entry: ``gunicorn 'credit.bootstrap:create_app()'`` or ``credit.wsgi:app``."""

from __future__ import annotations

from typing import Any

_app: Any = None


def __getattr__(name: str) -> Any:
    global _app
    if name != "app":
        raise AttributeError(name)
    if _app is None:
        from credit.bootstrap import create_app

        _app = create_app()
    return _app
