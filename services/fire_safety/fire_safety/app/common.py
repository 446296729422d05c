"""Aggregate wiring shared by every handler: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable

from fire_safety.domain import checklist, officials, state
from fire_safety.domain.checklist import Checklist
from fire_safety.domain.model import DomainEvent
from fire_safety.domain.officials import Official
from fire_safety.domain.state import Inspection
from shared import commands
from shared.commands import Aggregate, Handled, by_name, load_state
from shared.eventstore import CommitMeta, EventStore

__all__ = ["Handled"]

SERVICE = "fire_safety"
INSPECTIONS: Aggregate[Inspection] = Aggregate(initial=state.initial, evolve=by_name(state.evolve))
CHECKLISTS: Aggregate[Checklist] = Aggregate(initial=checklist.initial,
                                             evolve=by_name(checklist.evolve))
OFFICIALS: Aggregate[dict[str, Official]] = Aggregate(initial=officials.initial,
                                                      evolve=by_name(officials.evolve))
OFFICIALS_STREAM = "officials-register"
INSPECTION_PREFIX = "fireinspection-"
CHECKLIST_PREFIX = "checklist-"
Decide = Callable[[Inspection], list[DomainEvent]]


def inspection_stream(inspection_id: str) -> str:
    return f"{INSPECTION_PREFIX}{inspection_id}"


def checklist_stream(template_id: str) -> str:
    return f"{CHECKLIST_PREFIX}{template_id}"


def chain(*steps: Decide) -> Decide:
    """Several decisions as one: each sees the state the previous ones produced."""

    def decide(current: Inspection) -> list[DomainEvent]:
        out: list[DomainEvent] = []
        for step in steps:
            new = step(current)
            for e in new:
                current = state.evolve(current, e.name, e.data)
            out += new
        return out

    return decide


def run(store: EventStore, inspection_id: str, decide: Decide, meta: CommitMeta,
        expected_version: int | None = None) -> Handled[Inspection]:
    """Load, decide and append on fireinspection-<id>; ConcurrencyConflict if overtaken."""
    return commands.run(store, INSPECTIONS, inspection_stream(inspection_id), decide, meta,
                        SERVICE, expected_version)


def run_checklist(store: EventStore, template_id: str,
                  decide: Callable[[Checklist], list[DomainEvent]],
                  meta: CommitMeta) -> Handled[Checklist]:
    """Load, decide and append on checklist-<template id>."""
    return commands.run(store, CHECKLISTS, checklist_stream(template_id), decide, meta,
                        SERVICE)


def officials_directory(store: EventStore) -> dict[str, Official]:
    """The register of named officials as the domain's Directory (login -> Official).

    The one adapter to replace when the identity service provides the accounts.
    """
    found, _, _ = load_state(store, OFFICIALS, OFFICIALS_STREAM)
    return found


def run_officials(store: EventStore,
                  decide: Callable[[dict[str, Official]], list[DomainEvent]],
                  meta: CommitMeta) -> Handled[dict[str, Official]]:
    """Load, decide and append on the officials register."""
    return commands.run(store, OFFICIALS, OFFICIALS_STREAM, decide, meta, SERVICE)
