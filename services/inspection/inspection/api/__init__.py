"""HTTP edge of the inspection service: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from inspection.api import checks, directories, plans, public, targeted, tasks

    return [directories.blp, plans.blp, public.blp, tasks.blp, targeted.blp, checks.blp]
