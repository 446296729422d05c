"""Use case: civil affairs publishes a new version of a jurisdiction's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from escrow.app.common import POLICY, SERVICE, policy_stream
from escrow.domain.jurisdictions import region_of
from escrow.domain.policy import (
    NATIONAL_CEILING,
    Ceiling,
    Policy,
    PublishPolicy,
    Terms,
    decide_publish,
)
from shared.authority import LEADER, NATIONAL, WRITE_DUTIES, Scope
from shared.clock import Clock, china_today
from shared.commands import run
from shared.eventstore import CommitMeta, EventStore


def policy_scope(jurisdiction: str) -> Scope:
    """Civil affairs of the jurisdiction's region (clerk or leader) publishes its policy; a
    national policy (or one of an unknown jurisdiction) needs a national leader."""
    region = region_of(jurisdiction)
    if region == NATIONAL:
        return Scope(departments=("civil_affairs",), duties=(LEADER,), national=True)
    return Scope(departments=("civil_affairs",), district=region, duties=WRITE_DUTIES)


@dataclass(frozen=True)
class Published:
    state: Policy
    version: int
    created: bool


def publish_policy(jurisdiction: str, effective_from: date, terms: Terms, *, store: EventStore,
                   clock: Clock, meta: CommitMeta,
                   ceiling: Ceiling = NATIONAL_CEILING) -> Published:
    """A new version applies to contracts starting on or after its date; retries are no-ops.
    A version above the national ceiling is refused (422, field by field)."""
    cmd = PublishPolicy(jurisdiction, effective_from, terms, china_today(clock), ceiling)

    out = run(store, POLICY, policy_stream(jurisdiction), lambda s: decide_publish(s, cmd), meta,
              SERVICE, scope=lambda _: policy_scope(jurisdiction))
    return Published(out.state, out.version, bool(out.events))
