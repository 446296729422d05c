"""HTTP edge of the escrow service: flask-smorest blueprints and marshmallow schemas."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service, in documentation order."""
    from escrow.api import accounts, checks, contracts, policies, statements

    return [policies.blp, accounts.blp, contracts.blp, statements.blp, checks.blp]
