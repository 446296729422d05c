"""gunicorn entry: ``gunicorn 'escrow.bootstrap:create_app()'`` or ``escrow.wsgi:app``.

``app`` is built on first attribute access (PEP 562), so importing this module does no work.
"""

from __future__ import annotations

from typing import Any

_app: Any = None


def __getattr__(name: str) -> Any:
    global _app
    if name != "app":
        raise AttributeError(name)
    if _app is None:
        from escrow.bootstrap import create_app

        _app = create_app()
    return _app
