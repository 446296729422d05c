"""Read-model features other services plug into the projection without editing its core.

A feature is a sub-package ``projection.features.<name>`` whose ``__init__`` defines
``FEATURE = Feature(...)``. The web app registers its blueprints and navigation links, the
consumer process runs its consumers (each its own group, in its own thread), and the rebuild
command calls its ``rebuild``. Discovery is by package listing, so adding a feature touches
no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pymongo.database import Database

from shared.envelope import Envelope

Handler = Callable[[Envelope], None]


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group: which topics, and how to build its idempotent handler."""

    group: str
    topics: tuple[str, ...]
    build_handler: Callable[[Database], Handler]
    prepare: Callable[[Database], None] = lambda db: None  # indexes, idempotent


@dataclass(frozen=True)
class Feature:
    """What one read-model feature adds to the projection service."""

    name: str
    api_blueprints: tuple[Any, ...] = ()  # flask_smorest.Blueprint: documented in OpenAPI
    page_blueprints: tuple[Any, ...] = ()  # flask.Blueprint: HTML pages
    nav: tuple[tuple[str, str], ...] = ()  # (Chinese label, endpoint) shown in the header
    institution_links: tuple[tuple[str, str], ...] = ()  # (label, endpoint taking uscc=)
    consumers: tuple[ConsumerSpec, ...] = ()
    rebuild: Callable[[Database, bool], None] | None = None  # (db, show progress)
    extra: dict[str, Any] = field(default_factory=dict)


def discover() -> list[Feature]:
    """Every feature package under projection.features, by name."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg:  # plumbing modules beside the feature packages
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(module.FEATURE)
    return sorted(found, key=lambda f: f.name)
