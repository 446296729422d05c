"""What every view needs: the wired dependencies."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from escrow.app.common import Policies
from shared.clock import Clock
from shared.eventstore import EventStore

EXTENSION = "escrow"


@dataclass(frozen=True)
class Deps:
    """The service's dependencies, built once by bootstrap.create_app."""

    store: EventStore
    clock: Clock
    policies: Policies


def deps() -> Deps:
    return current_app.extensions[EXTENSION]
