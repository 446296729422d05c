"""HTTP edge of the registry: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from registry.api import checks, institutions, registrations

    return [registrations.blp, institutions.blp, checks.blp]
