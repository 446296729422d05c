"""What every view needs: the Context and the departments that may act."""

from __future__ import annotations

from flask import current_app, g

from credit.app.common import Context
from credit.domain.penalty import DEPARTMENTS as DEPARTMENTS

EXTENSION = "credit"


def ctx() -> Context:
    return current_app.extensions[EXTENSION]


def region() -> str:
    """The caller's region claim ('' while tokens are not yet scoped to a region)."""
    return g.principal.region
