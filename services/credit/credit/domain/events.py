"""The credit service's events, one frozen dataclass per type (contracts/events/credit).

Two types are stored in version 2; their version-1 data is upcast on read
(credit/domain/upcasters.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from credit.domain.upcasters import UPCASTERS
from shared.domain import Event, EventCatalog, Record

# -- values inside events ----------------------------------------------------------------


@dataclass(frozen=True)
class Party(Record):
    """The party of a penalty decision; a natural person only masked, with a salted hash."""

    kind: str
    uscc: str | None
    name: str
    id_masked: str | None
    id_hash: str | None


@dataclass(frozen=True)
class Sanction(Record):
    """One penalty of a decision; fines and confiscations in fen, restrictions in months."""

    kind: str
    amount_fen: int | None = None
    months: int | None = None


@dataclass(frozen=True)
class EarlyEndConditions(Record):
    """The four conditions of an early end of display (总局令第45号 art. 14)."""

    obligations_met: bool
    harm_removed: bool
    no_repeat: bool
    not_listed: bool


@dataclass(frozen=True)
class ResponsiblePerson(Record):
    """A person responsible for a listed institution, masked on input."""

    name_masked: str
    id_masked: str | None
    id_hash: str | None
    role: str


# -- penalty-<id> ------------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyDecided(Event, version=2):
    """v2 records the deciding department; v1 data gets it from the authority's name, and
    keeps None when that names no department (a decision nobody may act on)."""

    penalty_id: str
    decision_no: str
    party: Party
    violation_type: str
    legal_basis: str
    sanctions: tuple[Sanction, ...]
    authority: str
    district_code: str
    decided_on: date
    summary: str
    publish_required: bool
    publish_due_by: date | None
    due_provisional: bool
    heavy: bool
    display_rule: str
    display_months: int
    department: str | None


@dataclass(frozen=True)
class PenaltyPublished(Event):
    penalty_id: str
    uscc: str | None
    published_on: date
    display_until: date
    display_rule: str
    display_months: int
    due_by: date
    late: bool


@dataclass(frozen=True)
class PenaltyDisclosureOverdue(Event):
    penalty_id: str
    uscc: str | None
    decision_no: str
    authority: str
    due_by: date
    detected_on: date


@dataclass(frozen=True)
class PenaltyWithdrawn(Event):
    penalty_id: str
    uscc: str | None
    change: str
    reason: str
    revoked_on: date
    withdraw_by: date
    withdrawn_on: date
    late: bool
    was_published: bool


@dataclass(frozen=True)
class PenaltyDisplayEndedEarly(Event):
    penalty_id: str
    uscc: str | None
    ended_on: date
    conditions: EarlyEndConditions


# -- credit-<USCC> -----------------------------------------------------------------------


@dataclass(frozen=True)
class CreditRecordAdded(Event):
    uscc: str
    record_id: str
    source: str
    source_event_id: str
    source_type: str
    category: str
    points: int
    occurred_on: date
    summary: str


@dataclass(frozen=True)
class CreditRecordWithdrawn(Event):
    uscc: str
    record_id: str
    reason: str
    withdrawn_on: date


@dataclass(frozen=True)
class CreditFilingNoted(Event):
    uscc: str
    filed_on: date
    source_event_id: str


@dataclass(frozen=True)
class CreditLevelChanged(Event, version=2):
    """v2 adds the reasons institution_filed / neutral_period_ended, determined_by and
    neutral_until; v1 data is upcast (credit/domain/upcasters.py)."""

    institution_uscc: str
    level: str
    previous_level: str | None
    score: int
    as_of: date
    reason: str
    records_counted: int
    determined_by: str
    neutral_until: date | None


# -- dishonesty-<USCC> -------------------------------------------------------------------


@dataclass(frozen=True)
class ListingFacts(Record):
    """Which listing cycle of which institution every dishonesty-list event is about."""

    uscc: str
    listing_id: str


@dataclass(frozen=True)
class Grounds(ListingFacts):
    """Who is (to be) listed and why."""

    institution_name: str
    ground: str
    ground_detail: str
    responsible_persons: tuple[ResponsiblePerson, ...]


@dataclass(frozen=True)
class MeasureFacts(ListingFacts):
    """Which joint-punishment measure of a listing, and the department executing it."""

    measure_id: str
    department: str


@dataclass(frozen=True)
class SeriousDishonestyProposed(Grounds, Event):
    proposed_on: date
    proposed_by: str
    source_event_id: str | None
    auto: bool


@dataclass(frozen=True)
class SeriousDishonestyProposalRejected(ListingFacts, Event):
    reason: str
    decided_on: date


@dataclass(frozen=True)
class SeriousDishonestyListed(Grounds, Event):
    decision_no: str
    decided_on: date
    listed_until: date
    removal_allowed_from: date
    period_years: int


@dataclass(frozen=True)
class SeriousDishonestyDelisted(ListingFacts, Event):
    reason: str
    delisted_on: date
    decision_no: str | None


@dataclass(frozen=True)
class CreditRepairDecided(ListingFacts, Event):
    decision_no: str
    approved: bool
    reason: str
    decided_on: date


@dataclass(frozen=True)
class ListingCorrected(ListingFacts, Event):
    decision_no: str
    reason: str
    department: str
    corrected_on: date
    was_listed: bool


@dataclass(frozen=True)
class JointMeasureIssued(MeasureFacts, Event):
    measure_code: str
    measure_text: str
    issued_on: date
    due_by: date


@dataclass(frozen=True)
class JointMeasureExecuted(MeasureFacts, Event):
    executed_on: date
    note: str
    late: bool


@dataclass(frozen=True)
class JointMeasureOverdue(MeasureFacts, Event):
    due_by: date
    detected_on: date


@dataclass(frozen=True)
class JointMeasureLifted(MeasureFacts, Event):
    lifted_on: date
    reason: str


PenaltyEvent = (PenaltyDecided | PenaltyPublished | PenaltyDisclosureOverdue | PenaltyWithdrawn
                | PenaltyDisplayEndedEarly)
FileEvent = CreditRecordAdded | CreditRecordWithdrawn | CreditFilingNoted | CreditLevelChanged
ListingEvent = (SeriousDishonestyProposed | SeriousDishonestyProposalRejected
                | SeriousDishonestyListed | SeriousDishonestyDelisted | CreditRepairDecided
                | ListingCorrected | JointMeasureIssued | JointMeasureExecuted
                | JointMeasureOverdue | JointMeasureLifted)

PENALTY_EVENTS = EventCatalog(PenaltyDecided, PenaltyPublished, PenaltyDisclosureOverdue,
                              PenaltyWithdrawn, PenaltyDisplayEndedEarly,
                              upcasters={k: v for k, v in UPCASTERS.items()
                                         if k[0] == "PenaltyDecided"})
FILE_EVENTS = EventCatalog(CreditRecordAdded, CreditRecordWithdrawn, CreditFilingNoted,
                           CreditLevelChanged,
                           upcasters={k: v for k, v in UPCASTERS.items()
                                      if k[0] == "CreditLevelChanged"})
LISTING_EVENTS = EventCatalog(SeriousDishonestyProposed, SeriousDishonestyProposalRejected,
                              SeriousDishonestyListed, SeriousDishonestyDelisted,
                              CreditRepairDecided, ListingCorrected, JointMeasureIssued,
                              JointMeasureExecuted, JointMeasureOverdue, JointMeasureLifted)
EVENTS = EventCatalog(*PENALTY_EVENTS, *FILE_EVENTS, *LISTING_EVENTS, upcasters=UPCASTERS)
