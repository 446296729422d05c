"""HTTP edge of the credit service: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from credit.api import checks, credit_files, dishonesty, penalties

    return [penalties.blp, credit_files.blp, dishonesty.blp, checks.blp]
