"""Aggregate wiring shared by every handler: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable

from fire_safety.domain import checklist, officials, state
from fire_safety.domain.checklist import Checklist
from fire_safety.domain.events import (
    CHECKLIST_EVENTS,
    INSPECTION_EVENTS,
    OFFICIAL_EVENTS,
    ChecklistTemplatePublished,
    InspectionEvent,
    OfficialEvent,
)
from fire_safety.domain.officials import Official
from fire_safety.domain.state import Inspection
from shared import commands
from shared.authority import Scope
from shared.commands import Aggregate, Handled, load_state
from shared.domain import uscc_district
from shared.eventstore import CommitMeta, EventStore

__all__ = ["Handled"]

SERVICE = "fire_safety"
INSPECTIONS: Aggregate[Inspection] = Aggregate(state.initial, state.evolve,
                                               INSPECTION_EVENTS)
CHECKLISTS: Aggregate[Checklist] = Aggregate(initial=checklist.initial,
                                             evolve=checklist.evolve,
                                             events=CHECKLIST_EVENTS)
OFFICIALS: Aggregate[dict[str, Official]] = Aggregate(initial=officials.initial,
                                                      evolve=officials.evolve,
                                                      events=OFFICIAL_EVENTS)
OFFICIALS_STREAM = "officials-register"
INSPECTION_PREFIX = "fireinspection-"
CHECKLIST_PREFIX = "checklist-"
Decide = Callable[[Inspection], list[InspectionEvent]]


def inspection_stream(inspection_id: str) -> str:
    return f"{INSPECTION_PREFIX}{inspection_id}"


def checklist_stream(template_id: str) -> str:
    return f"{CHECKLIST_PREFIX}{template_id}"


def chain(*steps: Decide) -> Decide:
    """Several decisions as one: each sees the state the previous ones produced."""

    def decide(current: Inspection) -> list[InspectionEvent]:
        out: list[InspectionEvent] = []
        for step in steps:
            new = step(current)
            for e in new:
                current = state.evolve(current, e)
            out += new
        return out

    return decide


district_of = uscc_district  # characters 3–8 of the USCC (shared/domain.py)


def inspection_scope(state: Inspection, duties: tuple[str, ...],
                     departments: tuple[str, ...] | None = None,
                     uscc: str = "") -> Scope:
    """What a command on an inspection needs: the department that opened it (or
    ``departments``), the institution's district (from the stored inspection; ``uscc`` only
    for the first command) and one of ``duties``."""
    found = state.institution_uscc or uscc
    return Scope(departments=departments or state.recording_departments or None,
                 district=district_of(found) if found else None, duties=duties)


def run(store: EventStore, inspection_id: str, decide: Decide, meta: CommitMeta,
        expected_version: int | None = None,
        scope: Callable[[Inspection], Scope] | None = None) -> Handled[Inspection]:
    """Load, decide and append on fireinspection-<id>; ConcurrencyConflict if overtaken;
    Forbidden unless the caller reaches ``scope(state)``."""
    return commands.run(store, INSPECTIONS, inspection_stream(inspection_id), decide, meta,
                        SERVICE, expected_version, scope=scope)


def run_checklist(store: EventStore, template_id: str,
                  decide: Callable[[Checklist], list[ChecklistTemplatePublished]],
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
                  decide: Callable[[dict[str, Official]], list[OfficialEvent]],
                  meta: CommitMeta) -> Handled[dict[str, Official]]:
    """Load, decide and append on the officials register."""
    return commands.run(store, OFFICIALS, OFFICIALS_STREAM, decide, meta, SERVICE)
