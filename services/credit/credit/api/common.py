"""What every view needs: the Context and the departments that may act."""

from __future__ import annotations

from flask import current_app

from credit.app.common import Context

EXTENSION = "credit"
DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
               "public_security", "finance")


def ctx() -> Context:
    return current_app.extensions[EXTENSION]
