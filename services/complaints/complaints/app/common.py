"""Aggregate wiring and the dependencies every use case needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from complaints.app.secrets import Secrets
from complaints.app.vault import Vault
from complaints.domain import complaint as agg
from complaints.domain.complaint import Complaint
from complaints.domain.events import EVENTS, ComplaintEvent
from complaints.domain.rules import Rules
from shared import commands
from shared.authority import Scope
from shared.clock import Clock
from shared.commands import Aggregate, Handled, load_state
from shared.eventstore import CommitMeta, EventStore
from shared.workdays import WorkCalendar

SERVICE = "complaints"
COMPLAINT: Aggregate[Complaint] = Aggregate(agg.initial, agg.evolve, EVENTS)
PREFIX = "complaint-"


def stream(complaint_id: str) -> str:
    return f"{PREFIX}{complaint_id}"


@dataclass(frozen=True)
class Deps:
    store: EventStore
    clock: Clock
    vault: Vault
    secrets: Secrets
    rules: Rules
    calendar: WorkCalendar


def load(store: EventStore, complaint_id: str) -> tuple[Complaint, int]:
    state, version, _ = load_state(store, COMPLAINT, stream(complaint_id))
    return state, version


def handlers_scope(duties: tuple[str, ...]) -> Callable[[Complaint], Scope]:
    """A handling command: one of the departments the complaint was routed to, with a region
    covering the institution's district. Nothing is checked of a complaint that does not
    exist (the domain answers 404)."""

    def scope(state: Complaint) -> Scope:
        if not state.exists:
            return Scope()
        return Scope(departments=state.departments(), district=state.district, duties=duties)

    return scope


def run(d: Deps, complaint_id: str, decide: Callable[[Complaint], list[ComplaintEvent]],
        meta: CommitMeta, scope: Callable[[Complaint], Scope] | None = None
        ) -> Handled[Complaint]:
    return commands.run(d.store, COMPLAINT, stream(complaint_id), decide, meta, SERVICE,
                        scope=scope)
