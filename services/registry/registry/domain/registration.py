"""Market-supervision pushes and the scheduled check for registered-but-unfiled operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.domain.model import EnterpriseRecord, diff
from registry.domain.ports import WorkCalendar
from registry.domain.state import Institution
from shared.domain import DomainEvent


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


def decide_register(state: Institution, cmd: RegisterEnterprise) -> list[DomainEvent]:
    """First push: received; identical re-push: nothing; otherwise: changed."""
    rec = cmd.record
    base = {"uscc": rec.uscc, "record": rec.to_data(),
            "elderly_care_scope": rec.elderly_care_scope,
            "received_on": cmd.received_on.isoformat()}
    if state.registration is None:
        return [DomainEvent("EnterpriseRegistrationReceived", base)]
    old = state.registration.record
    changed = diff(old, rec)
    if not changed:
        return []
    previous = {name: old.to_data()[name] for name in changed}
    return [DomainEvent("EnterpriseRegistrationChanged",
                        {**base, "changed_fields": changed, "previous": previous})]


def unfiled_deadline(state: Institution, grace_workdays: int,
                     calendar: WorkCalendar) -> date | None:
    """Last day of grace for an active elderly-care enterprise with no filing, else None."""
    reg = state.registration
    if reg is None or reg.scope_since is None or reg.record.status != "active":
        return None
    if state.filing is not None:  # filed, or filed and cancelled by a regulator on purpose
        return None
    return calendar.add_workdays(reg.scope_since, grace_workdays)


def decide_check_unfiled(state: Institution, cmd: CheckUnfiled,
                         calendar: WorkCalendar) -> list[DomainEvent]:
    """Raise UnfiledOperationSuspected once per registration, after the grace period."""
    deadline = unfiled_deadline(state, cmd.grace_workdays, calendar)
    if deadline is None or state.unfiled_flagged_on is not None or cmd.today <= deadline:
        return []
    reg = state.registration
    assert reg is not None and reg.scope_since is not None
    return [DomainEvent("UnfiledOperationSuspected", {
        "uscc": state.uscc, "name": reg.record.name, "district_code": reg.record.district_code,
        "received_on": reg.scope_since.isoformat(), "grace_workdays": cmd.grace_workdays,
        "deadline": deadline.isoformat(), "detected_on": cmd.today.isoformat()})]
