"""gunicorn entry: ``gunicorn 'translog.bootstrap:create_app()'`` or ``translog.wsgi:app``.

``app`` is built on first attribute access (PEP 562), so importing this module does no work.
"""

from __future__ import annotations

from typing import Any

from shared.http.wsgi import lazy_app

_app: Any = None
__getattr__ = lazy_app(__name__, "translog.bootstrap")
