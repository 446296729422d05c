"""What every view needs: the Context and the departments that may act."""

from __future__ import annotations

from flask import current_app

from credit.app.common import Context
from credit.domain.penalty import DEPARTMENTS as DEPARTMENTS

EXTENSION = "credit"


def ctx() -> Context:
    return current_app.extensions[EXTENSION]


def region() -> str:
    """The region handed to the penalty rules' own check: none (''), since the use cases
    check every one of the caller's regions through their Scope before deciding."""
    return ""
