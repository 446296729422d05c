"""What every view needs: the Context and the departments that may act."""

from __future__ import annotations

from flask import current_app, g

from credit.app.common import Context
from credit.domain.penalty import DEPARTMENTS as DEPARTMENTS
from shared.authority import NATIONAL

EXTENSION = "credit"


def ctx() -> Context:
    return current_app.extensions[EXTENSION]


def region() -> str:
    """The caller's one region for the penalty rules ('' = national scope; an account without
    regions gets a code no district starts with, so it covers none)."""
    regions = g.principal.regions
    if NATIONAL in regions:
        return ""
    return regions[0] if regions else "000000"
