"""Read-model features other services plug into the projection service.

A feature is a sub-package ``projection.features.<name>`` whose ``__init__`` defines
``FEATURE = Feature(...)``: its pages and links for the web app. Its read model is its
``projector.py`` (what it consumes and how it folds, run by shared.readside), listed in
projection.projections. The features are listed once, explicitly, in ``discover()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database

from shared.readside import asof
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Projector


@dataclass(frozen=True)
class Feature:
    """What one read-model feature adds to the projection service."""

    name: str
    api_blueprints: tuple[Any, ...] = ()  # flask_smorest.Blueprint: documented in OpenAPI
    page_blueprints: tuple[Any, ...] = ()  # flask.Blueprint: HTML pages
    nav: tuple[tuple[str, str], ...] = ()  # (Chinese label, endpoint) shown in the header
    institution_links: tuple[tuple[str, str], ...] = ()  # (label, endpoint taking uscc=)
    extra: dict[str, Any] = field(default_factory=dict)


def discover() -> list[Feature]:
    """Every feature, by name (the one list; imported here, not at module import)."""
    from projection.features import (
        complaints,
        credit,
        dashboard,
        desk,
        escrow,
        fire_safety,
        inspection,
    )

    found = [complaints.FEATURE, credit.FEATURE, dashboard.FEATURE, desk.FEATURE, escrow.FEATURE,
             fire_safety.FEATURE, inspection.FEATURE]
    return sorted(found, key=lambda f: f.name)


def active(db: Database, projector: Projector, logical: str) -> Collection:
    """A feature collection in the generation pages read; on a request with ``?as_of=`` the
    collection as it stood at the end of that day, folded from the projection's events."""
    from projection.web.asof import requested

    day = requested()
    if day is not None:
        return asof.collection(db, projector, logical, day)
    return MongoReadStore(db).collection(projector, logical)
