"""Lazy WSGI entry modules: ``<service>.wsgi:app`` is built on first attribute access (PEP 562)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_app(module_name: str, bootstrap: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of the module ``module_name``: its ``app`` is ``bootstrap``'s
    ``create_app()``, built once into the module's ``_app``; importing it does no work."""

    def __getattr__(name: str) -> Any:
        if name != "app":
            raise AttributeError(name)
        namespace = vars(sys.modules[module_name])
        if namespace.get("_app") is None:
            namespace["_app"] = importlib.import_module(bootstrap).create_app()
        return namespace["_app"]

    return __getattr__
