"""The aggregate wiring shared by every handler: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable

from registry.domain import state as institution
from registry.domain.events import EVENTS, RegistryEvent
from registry.domain.state import Institution
from shared import commands
from shared.commands import Aggregate, Handled
from shared.eventstore import CommitMeta, EventStore

SERVICE = "registry"
AGGREGATE: Aggregate[Institution] = Aggregate(institution.initial, institution.evolve,
                                              EVENTS)
STREAM_PREFIX = "institution-"


def stream_id(uscc: str) -> str:
    return f"{STREAM_PREFIX}{uscc}"


def uscc_of(stream: str) -> str:
    return stream.removeprefix(STREAM_PREFIX)


def run(store: EventStore, uscc: str, decide: Callable[[Institution], list[RegistryEvent]],
        meta: CommitMeta, expected_version: int | None = None,
        retries: int = 0) -> Handled[Institution]:
    """Load, decide and append on institution-<USCC>; ConcurrencyConflict if overtaken."""
    return commands.run(store, AGGREGATE, stream_id(uscc), decide, meta, SERVICE,
                        expected_version, retries)
