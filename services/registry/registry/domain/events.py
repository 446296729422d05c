"""The registry's events, one frozen dataclass per type (contracts/events/registry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from registry.domain.model import EnterpriseRecord, FilingDetails
from shared.domain import Event, EventCatalog


@dataclass(frozen=True)
class EnterpriseRegistrationReceived(Event):
    """Market supervision pushed a USCC the registry had not seen."""

    uscc: str
    record: EnterpriseRecord
    elderly_care_scope: bool
    received_on: date


@dataclass(frozen=True)
class EnterpriseRegistrationChanged(Event):
    """A re-push that differs; ``previous`` holds the old values of ``changed_fields``."""

    uscc: str
    record: EnterpriseRecord
    elderly_care_scope: bool
    received_on: date
    changed_fields: tuple[str, ...]
    previous: dict[str, Any]


@dataclass(frozen=True)
class InstitutionFiled(Event):
    """Civil affairs filed (备案) an institution and judged the filing's timeliness."""

    uscc: str
    receipt_no: str
    filing: FilingDetails
    filed_on: date
    filing_required: bool
    filing_deadline: date | None
    late: bool
    late_by_workdays: int
    deadline_provisional: bool


@dataclass(frozen=True)
class InstitutionFilingChanged(Event):
    """Filed items changed; ``filing`` is the whole filing after the change."""

    uscc: str
    receipt_no: str
    filing: FilingDetails
    changed_fields: tuple[str, ...]
    changed_on: date


@dataclass(frozen=True)
class InstitutionCancelled(Event):
    """The filing was cancelled (注销)."""

    uscc: str
    receipt_no: str
    reason: str
    cancelled_on: date


@dataclass(frozen=True)
class UnfiledOperationSuspected(Event):
    """An active elderly-care enterprise stayed unfiled past its grace period.

    ``basis`` and ``since`` are absent from events stored before episodes had a basis.
    """

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"basis", "since"})

    uscc: str
    name: str
    district_code: str
    received_on: date
    grace_workdays: int
    deadline: date
    detected_on: date
    basis: str | None = None
    since: date | None = None


RegistryEvent = (EnterpriseRegistrationReceived | EnterpriseRegistrationChanged
                 | InstitutionFiled | InstitutionFilingChanged | InstitutionCancelled
                 | UnfiledOperationSuspected)

EVENTS = EventCatalog(EnterpriseRegistrationReceived, EnterpriseRegistrationChanged,
                      InstitutionFiled, InstitutionFilingChanged, InstitutionCancelled,
                      UnfiledOperationSuspected)
