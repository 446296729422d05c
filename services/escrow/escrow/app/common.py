"""Aggregate wiring shared by every handler: streams, the policy lookup, domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from escrow.domain import policy as policy_agg
from escrow.domain import state as escrow_agg
from escrow.domain.errors import NotFound
from escrow.domain.events import ESCROW_EVENTS, POLICY_EVENTS, EscrowEvent
from escrow.domain.jurisdictions import district_of
from escrow.domain.policy import PolicyVersion, Terms
from escrow.domain.state import Escrow
from shared import commands
from shared.authority import WRITE_DUTIES, Authority, Scope, check
from shared.commands import Aggregate, Handled, load_state
from shared.eventstore import CommitMeta, EventStore

SERVICE = "escrow"
ESCROW: Aggregate[Escrow] = Aggregate(escrow_agg.initial, escrow_agg.evolve, ESCROW_EVENTS)
POLICY: Aggregate[policy_agg.Policy] = Aggregate(initial=policy_agg.initial,
                                                 evolve=policy_agg.evolve, events=POLICY_EVENTS)
ESCROW_PREFIX = "escrow-"


def escrow_stream(uscc: str) -> str:
    return f"{ESCROW_PREFIX}{uscc}"


def policy_stream(jurisdiction: str) -> str:
    return f"policy-{jurisdiction}"


def uscc_of(stream: str) -> str:
    return stream.removeprefix(ESCROW_PREFIX)


class Policies:
    """Policy versions per jurisdiction: the shipped default plus what civil affairs published."""

    def __init__(self, store: EventStore, defaults: dict[str, PolicyVersion]) -> None:
        self.store, self.defaults = store, defaults
        national = defaults.get("national")
        # the national ceiling is the shipped national policy (its numbers are settings)
        self.ceiling = (policy_agg.Ceiling(national.terms.deposit_cap_multiple,
                                           national.terms.prepaid_cap_months)
                        if national else policy_agg.NATIONAL_CEILING)

    def versions(self, jurisdiction: str) -> list[PolicyVersion]:
        state, _, _ = load_state(self.store, POLICY, policy_stream(jurisdiction))
        return policy_agg.all_versions(state, jurisdiction, self.defaults)

    def in_force(self, jurisdiction: str, on: date) -> PolicyVersion:
        return policy_agg.in_force(self.versions(jurisdiction), on, jurisdiction)

    def reserve_terms(self, state: Escrow, uscc: str, today: date) -> Terms:
        """The reserve rule follows the institution's jurisdiction as of today."""
        if state.account is None:
            raise NotFound(f"机构 {uscc} 没有监管专户")
        return self.in_force(state.account.jurisdiction, today).terms


CIVIL_AFFAIRS = ("civil_affairs",)
# bank statements and reconciliation: civil affairs or finance (the supervising bank side)
STATEMENT_DEPARTMENTS = ("civil_affairs", "finance")


def escrow_scope(uscc: str, departments: tuple[str, ...] = CIVIL_AFFAIRS) -> Scope:
    """Escrow writes: clerk or leader of the owning department, in the institution's district."""
    return Scope(departments=departments, district=district_of(uscc), duties=WRITE_DUTIES)


def run(store: EventStore, uscc: str, decide: Callable[[Escrow], list[EscrowEvent]],
        meta: CommitMeta, departments: tuple[str, ...] = CIVIL_AFFAIRS) -> Handled[Escrow]:
    """Load, decide and append on escrow-<USCC>; ConcurrencyConflict if overtaken; Forbidden
    unless the caller reaches escrow_scope (checked before anything is decided)."""
    return commands.run(store, ESCROW, escrow_stream(uscc), decide, meta, SERVICE,
                        scope=lambda _: escrow_scope(uscc, departments))


def load_escrow(store: EventStore, uscc: str,
                reader: Authority | None = None) -> tuple[Escrow, int]:
    """The folded state and version; NotFound when nothing was ever stored; Forbidden when
    ``reader`` (a regulator) has no region covering the institution's district."""
    if reader is not None:
        check(reader, Scope(district=district_of(uscc)))
    state, version, _ = load_state(store, ESCROW, escrow_stream(uscc))
    if version == 0:
        raise NotFound(f"资金监管系统中没有统一社会信用代码为 {uscc} 的机构")
    return state, version
