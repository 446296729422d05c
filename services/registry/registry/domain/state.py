"""The Institution aggregate's state and how each stored event changes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from registry.domain.model import EnterpriseRecord, FilingDetails, parse_date


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


def initial() -> Institution:
    """The state of a stream with no events."""
    return Institution()


def evolve(state: Institution, name: str, data: dict[str, Any]) -> Institution:
    """Apply one stored event; names this version does not know leave the state as it is."""
    apply = _APPLY.get(name)
    return apply(state, data) if apply else state


def _registration(state: Institution, data: dict[str, Any]) -> Institution:
    on = date.fromisoformat(data["received_on"])
    prev = state.registration
    since = None
    if data["elderly_care_scope"]:
        since = prev.scope_since if prev and prev.scope_since else on
    record = EnterpriseRecord.from_data(data["record"])
    active = None
    if record.status == "active":
        active = prev.active_since if prev and prev.active_since else on
    reg = Registration(record, prev.first_received_on if prev else on, on, since, active)
    flagged = state.unfiled_flagged_on if reg.operating_in_elderly_care else None
    return replace(state, uscc=data["uscc"], registration=reg, unfiled_flagged_on=flagged)


def _filed(state: Institution, data: dict[str, Any]) -> Institution:
    filing = Filing(
        receipt_no=data["receipt_no"], details=FilingDetails.from_data(data["filing"]),
        filed_on=date.fromisoformat(data["filed_on"]), filing_required=data["filing_required"],
        filing_deadline=parse_date(data["filing_deadline"]), late=data["late"],
        late_by_workdays=data["late_by_workdays"],
        deadline_provisional=data["deadline_provisional"])
    return replace(state, uscc=data["uscc"], filing=filing,
                   filings_count=state.filings_count + 1, unfiled_flagged_on=None)


def _filing_changed(state: Institution, data: dict[str, Any]) -> Institution:
    assert state.filing is not None, "InstitutionFilingChanged before InstitutionFiled"
    filing = replace(state.filing, details=FilingDetails.from_data(data["filing"]),
                     changed_on=date.fromisoformat(data["changed_on"]))
    return replace(state, filing=filing)


def _cancelled(state: Institution, data: dict[str, Any]) -> Institution:
    assert state.filing is not None, "InstitutionCancelled before InstitutionFiled"
    filing = replace(state.filing, cancelled_on=date.fromisoformat(data["cancelled_on"]),
                     cancel_reason=data["reason"])
    return replace(state, filing=filing)


def _suspected(state: Institution, data: dict[str, Any]) -> Institution:
    return replace(state, unfiled_flagged_on=date.fromisoformat(data["detected_on"]))


_APPLY: dict[str, Callable[[Institution, dict[str, Any]], Institution]] = {
    "EnterpriseRegistrationReceived": _registration,
    "EnterpriseRegistrationChanged": _registration,
    "InstitutionFiled": _filed,
    "InstitutionFilingChanged": _filing_changed,
    "InstitutionCancelled": _cancelled,
    "UnfiledOperationSuspected": _suspected,
}
