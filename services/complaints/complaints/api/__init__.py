"""HTTP edge of the complaints service: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from complaints.api import handling, intake, public

    return [public.blp, intake.blp, handling.blp]
