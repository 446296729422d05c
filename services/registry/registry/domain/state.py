"""The Institution aggregate's state and how each stored event changes it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from registry.domain.events import (
    EnterpriseRegistrationChanged,
    EnterpriseRegistrationReceived,
    InstitutionCancelled,
    InstitutionFiled,
    InstitutionFilingChanged,
    UnfiledOperationSuspected,
)
from registry.domain.model import EnterpriseRecord, FilingDetails
from shared.domain import Event


@dataclass(frozen=True)
class Registration:
    """The latest pushed registration and when the elderly-care scope began."""

    record: EnterpriseRecord
    first_received_on: date
    last_received_on: date
    scope_since: date | None  # the push from which 养老服务 has been in scope
    active_since: date | None = None  # the push from which the status has been "active"

    @property
    def operating_in_elderly_care(self) -> bool:
        """Active (存续) with 养老服务 in scope: who must be filed to operate."""
        return self.scope_since is not None and self.active_since is not None


@dataclass(frozen=True)
class Filing:
    """The current (or last) filing and its timeliness as judged when filed."""

    receipt_no: str
    details: FilingDetails
    filed_on: date
    filing_required: bool
    filing_deadline: date | None
    late: bool
    late_by_workdays: int
    deadline_provisional: bool
    changed_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str | None = None

    @property
    def status(self) -> str:
        return "cancelled" if self.cancelled_on else "filed"


@dataclass(frozen=True)
class Institution:
    """Everything the registry knows about one USCC (stream institution-<USCC>)."""

    uscc: str = ""
    registration: Registration | None = None
    filing: Filing | None = None
    filings_count: int = 0
    # the current unfiled episode was flagged on this day; None once filed, deregistered
    # (any status but active) or 养老服务 left the scope, so a new episode can be flagged
    unfiled_flagged_on: date | None = None

    @property
    def exists(self) -> bool:
        return bool(self.uscc)

    @property
    def district_code(self) -> str | None:
        """Where the institution is: the filed district, else the registered one."""
        if self.filing is not None:
            return self.filing.details.district_code
        if self.registration is not None:
            return self.registration.record.district_code
        return None


def initial() -> Institution:
    """The state of a stream with no events."""
    return Institution()


def evolve(state: Institution, event: Event) -> Institution:
    """Apply one stored event; types this aggregate does not fold leave the state as it is."""
    match event:
        case EnterpriseRegistrationReceived() | EnterpriseRegistrationChanged():
            return _registration(state, event)
        case InstitutionFiled():
            filing = Filing(
                receipt_no=event.receipt_no, details=event.filing, filed_on=event.filed_on,
                filing_required=event.filing_required, filing_deadline=event.filing_deadline,
                late=event.late, late_by_workdays=event.late_by_workdays,
                deadline_provisional=event.deadline_provisional)
            return replace(state, uscc=event.uscc, filing=filing,
                           filings_count=state.filings_count + 1, unfiled_flagged_on=None)
        case InstitutionFilingChanged():
            assert state.filing is not None, "InstitutionFilingChanged before InstitutionFiled"
            changed = replace(state.filing, details=event.filing, changed_on=event.changed_on)
            return replace(state, filing=changed)
        case InstitutionCancelled():
            assert state.filing is not None, "InstitutionCancelled before InstitutionFiled"
            cancelled = replace(state.filing, cancelled_on=event.cancelled_on,
                                cancel_reason=event.reason)
            return replace(state, filing=cancelled)
        case UnfiledOperationSuspected():
            return replace(state, unfiled_flagged_on=event.detected_on)
    return state


def _registration(state: Institution,
                  event: EnterpriseRegistrationReceived | EnterpriseRegistrationChanged
                  ) -> Institution:
    on = event.received_on
    prev = state.registration
    since = None
    if event.elderly_care_scope:
        since = prev.scope_since if prev and prev.scope_since else on
    record = event.record
    active = None
    if record.status == "active":
        active = prev.active_since if prev and prev.active_since else on
    reg = Registration(record, prev.first_received_on if prev else on, on, since, active)
    flagged = state.unfiled_flagged_on if reg.operating_in_elderly_care else None
    return replace(state, uscc=event.uscc, registration=reg, unfiled_flagged_on=flagged)
