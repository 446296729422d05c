"""Market-supervision pushes and the scheduled check for registered-but-unfiled operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.domain.events import (
    EnterpriseRegistrationChanged,
    EnterpriseRegistrationReceived,
    RegistryEvent,
    UnfiledOperationSuspected,
)
from registry.domain.model import EnterpriseRecord, diff
from registry.domain.ports import WorkCalendar
from registry.domain.state import Institution


@dataclass(frozen=True)
class RegisterEnterprise:
    """Record one pushed enterprise registration."""

    record: EnterpriseRecord
    received_on: date


@dataclass(frozen=True)
class CheckUnfiled:
    """Flag the institution if it operates in elderly care unfiled past the grace period."""

    today: date
    grace_workdays: int


def decide_register(state: Institution, cmd: RegisterEnterprise) -> list[RegistryEvent]:
    """First push: received; identical re-push: nothing; otherwise: changed."""
    rec = cmd.record
    if state.registration is None:
        return [EnterpriseRegistrationReceived(rec.uscc, rec, rec.elderly_care_scope,
                                               cmd.received_on)]
    old = state.registration.record
    changed = diff(old, rec)
    if not changed:
        return []
    previous = {name: old.to_data()[name] for name in changed}
    return [EnterpriseRegistrationChanged(rec.uscc, rec, rec.elderly_care_scope,
                                          cmd.received_on, tuple(changed), previous)]


@dataclass(frozen=True)
class UnfiledEpisode:
    """An active elderly-care enterprise without a valid filing, and its grace period.

    ``basis`` is ``never_filed`` or ``filing_cancelled``; ``since`` is the day grace counts
    from: the latest of the push that put 养老服务 in scope, the push from which the
    enterprise is active, and the cancellation of its filing.
    """

    basis: str
    since: date
    deadline: date


def unfiled_episode(state: Institution, grace_workdays: int,
                    calendar: WorkCalendar) -> UnfiledEpisode | None:
    """The open unfiled episode of an institution, None while it needs no filing or has one."""
    reg = state.registration
    if reg is None or not reg.operating_in_elderly_care:
        return None
    assert reg.scope_since is not None and reg.active_since is not None
    starts = [reg.scope_since, reg.active_since]
    basis = "never_filed"
    if state.filing is not None:
        if state.filing.cancelled_on is None:  # filed: nothing to flag
            return None
        # cancelled while still active with 养老服务 in scope: operating without a filing again
        starts.append(state.filing.cancelled_on)
        basis = "filing_cancelled"
    since = max(starts)
    return UnfiledEpisode(basis, since, calendar.add_workdays(since, grace_workdays))


def decide_check_unfiled(state: Institution, cmd: CheckUnfiled,
                         calendar: WorkCalendar) -> list[RegistryEvent]:
    """Raise UnfiledOperationSuspected once per episode, after its grace period.

    An episode ends (and the flag with it) when the institution files, the enterprise stops
    being active or 养老服务 leaves its scope; a later cancellation or reactivation opens a
    new one, flagged again after a new grace period.
    """
    episode = unfiled_episode(state, cmd.grace_workdays, calendar)
    if episode is None or state.unfiled_flagged_on is not None or cmd.today <= episode.deadline:
        return []
    reg = state.registration
    assert reg is not None and reg.scope_since is not None
    return [UnfiledOperationSuspected(
        uscc=state.uscc, name=reg.record.name, district_code=reg.record.district_code,
        received_on=reg.scope_since, grace_workdays=cmd.grace_workdays,
        deadline=episode.deadline, detected_on=cmd.today, basis=episode.basis,
        since=episode.since)]
