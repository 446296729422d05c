"""HTTP edge of the risk service."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    from risk.api import views

    return [views.blp]
