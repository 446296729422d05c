"""HTTP edge of the fire-safety service: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from fire_safety.api import checklists, checks, hazards, inspections, officials

    return [officials.blp, checklists.blp, inspections.blp, hazards.blp, checks.blp]
