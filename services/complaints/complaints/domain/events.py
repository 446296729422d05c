"""The complaints service's events, one frozen dataclass per type (contracts/events/complaints).

No event carries a complainant's contact, identity or the words of a complaint or a reply in
clear: those travel only as ``Sealed`` ciphertext under the complaint's own data key, which is
kept apart from the events (app/vault.py). Deleting that key erases them everywhere at once,
Kafka and backups included (crypto-shredding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.domain import Event, EventCatalog, Record


@dataclass(frozen=True)
class Sealed(Record):
    """AES-256-GCM ciphertext (base64) of a JSON object, bound to its complaint id."""

    nonce: str
    ciphertext: str


@dataclass(frozen=True)
class ComplaintReceived(Event):
    complaint_id: str
    channel: str  # web | hotline_12345 | hotline_12349
    category: str
    institution_uscc: str
    institution_name: str
    district: str
    departments: tuple[str, ...]
    anonymous: bool
    has_contact: bool
    sealed: Sealed  # {"description", "contact", "name"}
    received_on: date
    accept_due: date


@dataclass(frozen=True)
class ComplaintAccepted(Event):
    complaint_id: str
    department: str
    accepted_on: date
    reply_due: date


@dataclass(frozen=True)
class ComplaintRefused(Event):
    complaint_id: str
    department: str
    reason: str
    refused_on: date


@dataclass(frozen=True)
class ComplaintTransferred(Event):
    complaint_id: str
    department: str  # the department handing it on
    to_departments: tuple[str, ...]
    reason: str
    transferred_on: date
    accept_due: date


@dataclass(frozen=True)
class ComplaintInvestigated(Event):
    complaint_id: str
    department: str
    finding: str  # substantiated | partly | unsubstantiated
    sealed: Sealed  # {"summary"}
    investigated_on: date


@dataclass(frozen=True)
class ComplaintReplied(Event):
    complaint_id: str
    department: str
    sealed: Sealed  # {"reply"}
    replied_on: date


@dataclass(frozen=True)
class ComplaintClosed(Event):
    """What read models need to count it without the earlier events: its category, district,
    receipt date and every department that had a part."""

    complaint_id: str
    outcome: str  # replied | refused | merged
    closed_on: date
    handling_workdays: int
    category: str
    district: str
    received_on: date
    departments: tuple[str, ...]


@dataclass(frozen=True)
class ComplaintMerged(Event):
    """A duplicate handled together with ``into``; it closes here, the other goes on."""

    complaint_id: str
    into: str
    department: str
    merged_on: date


@dataclass(frozen=True)
class ComplaintOverdue(Event):
    complaint_id: str
    department: str
    stage: str  # accept | reply
    due: date
    flagged_on: date


@dataclass(frozen=True)
class ComplaintRated(Event):
    complaint_id: str
    rating: str  # satisfied | basically_satisfied | unsatisfied
    rated_on: date


@dataclass(frozen=True)
class ComplaintPersonalDataErased(Event):
    """The data key is gone: every Sealed field of this complaint is unreadable for good."""

    complaint_id: str
    reason: str
    erased_on: date


ComplaintEvent = (ComplaintReceived | ComplaintAccepted | ComplaintRefused | ComplaintTransferred
                  | ComplaintInvestigated | ComplaintReplied | ComplaintClosed | ComplaintMerged
                  | ComplaintOverdue | ComplaintRated | ComplaintPersonalDataErased)

EVENTS = EventCatalog(
    ComplaintReceived, ComplaintAccepted, ComplaintRefused, ComplaintTransferred,
    ComplaintInvestigated, ComplaintReplied, ComplaintClosed, ComplaintMerged,
    ComplaintOverdue, ComplaintRated, ComplaintPersonalDataErased)
