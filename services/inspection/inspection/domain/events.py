"""Random inspections' events, one frozen dataclass per type (contracts/events/inspection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from shared.domain import Event, EventCatalog, Record

# -- values inside events ----------------------------------------------------------------


@dataclass(frozen=True)
class Stratum(Record):
    """One credit level of a draw (and risk class, when the plan sets ratios by risk class):
    how many were eligible, the ratio, how many were drawn."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"risk_class"})

    level: str
    eligible: int
    ratio_bp: int
    drawn: int
    risk_class: str | None = None


@dataclass(frozen=True)
class DrawnTask(Record):
    """One drawn institution and its team."""

    task_id: str
    uscc: str
    credit_level: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class ConflictOpening(Record):
    """A drawn institution's declared conflicts, opened: hashes to its conflict_tag."""

    uscc: str
    salt: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class ItemOutcome(Record):
    item: str
    outcome: str


# -- roster-<department>, items-<department> ---------------------------------------------


@dataclass(frozen=True)
class InspectorFacts(Record):
    """An inspector as the roster holds it (declared conflicts: USCCs, sorted)."""

    department: str
    inspector_id: str
    region: str
    certificate_no: str
    active: bool
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class InspectorRegistered(InspectorFacts, Event):
    pass


@dataclass(frozen=True)
class InspectorChanged(InspectorFacts, Event):
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class InspectionItemPublished(Event):
    department: str
    item_id: str
    name: str
    legal_basis: str
    method: str
    revision: int


# -- plan-<plan id> ----------------------------------------------------------------------


@dataclass(frozen=True)
class SamplingPlanCreated(Event):
    """``ends_on`` is absent from plans created before plans had an end date;
    ``risk_ratios_bp`` from plans that sample by credit level only."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"ends_on", "risk_ratios_bp"})

    plan_id: str
    series: str
    year: int
    batch: int
    title: str
    departments: tuple[str, ...]
    districts: tuple[str, ...]
    operator_types: tuple[str, ...]
    items: tuple[str, ...]
    ratios_bp: dict[str, int]  # credit level -> ratio in 1/10000
    team_size: int
    exclude_previous_batches: bool
    created_on: date
    ends_on: date | None = None
    risk_ratios_bp: dict[str, int] | None = None  # risk class -> ratio in 1/10000


@dataclass(frozen=True)
class SamplingPlanPublished(Event):
    """``commitment`` = SHA-256 of the operator's secret; ``beacon`` names, in advance, the
    public random value each draw attempt mixes in (canonical.BEACON_RULE); absent from plans
    published before draws had one (their seed was the secret itself)."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"beacon"})

    plan_id: str
    commitment: str
    snapshot_hash: str
    algorithm: str
    published_on: date
    objects: int
    excluded_objects: int
    inspectors: int
    active_inspectors: int
    beacon: str | None = None


@dataclass(frozen=True)
class DrawCompleted(Event):
    """``conflict_openings`` is absent from draws of v1 snapshots (conflicts in clear)."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({
        "conflict_openings", "secret", "attempt", "beacon_index", "beacon_checkpoint"})

    plan_id: str
    seed: str
    commitment: str
    snapshot_hash: str
    result_hash: str
    algorithm: str
    drawn_on: date
    strata: tuple[Stratum, ...]
    tasks: tuple[DrawnTask, ...]
    conflict_openings: tuple[ConflictOpening, ...] | None = None
    # plans with a beacon: the revealed secret, which attempt, and the public value mixed in
    secret: str | None = None
    attempt: int | None = None
    beacon_index: int | None = None
    beacon_checkpoint: str | None = None


@dataclass(frozen=True)
class DrawAttemptFailed(Event):
    """A draw attempt that could not be met (e.g. too few inspectors free of conflicts): the
    reason is public, nothing was drawn, the next attempt waits for a new public value.
    ``department``: the department that had too few inspectors, when that was the reason."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"department"})

    plan_id: str
    attempt: int
    reason: str
    beacon_index: int
    beacon_checkpoint: str
    failed_on: date
    department: str | None = None


@dataclass(frozen=True)
class DrawVoided(Event):
    """A leader voids a completed draw before any inspection was carried out, with a public
    reason; its tasks are cancelled and the next attempt waits for a new public value."""

    plan_id: str
    attempt: int
    reason: str
    department: str
    voided_on: date


@dataclass(frozen=True)
class RecusalFacts(Record):
    """Which recusal: of which inspector, from which drawn task of which plan."""

    plan_id: str
    recusal_id: str
    task_id: str
    uscc: str
    inspector: str


@dataclass(frozen=True)
class RecusalRequested(RecusalFacts, Event):
    requested_by: str
    reason: str
    recorded_by: str
    requested_on: date


@dataclass(frozen=True)
class RecusalDecided(RecusalFacts, Event):
    approved: bool
    reason: str
    department: str
    decided_on: date


@dataclass(frozen=True)
class InspectorReplaced(Event):
    plan_id: str
    sequence: int
    recusal_id: str
    task_id: str
    uscc: str
    recused: str
    replacement: str
    inspectors: tuple[str, ...]
    requested_by: str
    replaced_on: date


# -- task-<task id> ----------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFacts(Record):
    """What every task event carries first."""

    task_id: str
    plan_id: str
    uscc: str


@dataclass(frozen=True)
class InspectionTaskAssigned(TaskFacts, Event):
    credit_level: str
    departments: tuple[str, ...]
    inspectors: tuple[str, ...]
    items: tuple[str, ...]
    assigned_on: date


@dataclass(frozen=True)
class InspectionTaskReassigned(TaskFacts, Event):
    sequence: int
    recused: str
    replacement: str
    inspectors: tuple[str, ...]
    reassigned_on: date


@dataclass(frozen=True)
class InspectionTaskInspected(TaskFacts, Event):
    inspected_on: date


@dataclass(frozen=True)
class TaskResult(TaskFacts):
    """A task's result as recorded, and as published."""

    departments: tuple[str, ...]
    inspected_on: date
    item_outcomes: tuple[ItemOutcome, ...]
    findings: str
    follow_up: str
    problem_found: bool
    recorded_on: date
    publish_deadline: date


@dataclass(frozen=True)
class InspectionResultRecorded(TaskResult, Event):
    deadline_provisional: bool


@dataclass(frozen=True)
class InspectionResultPublished(TaskResult, Event):
    published_on: date
    on_time: bool


@dataclass(frozen=True)
class PublicationOverdue(TaskFacts, Event):
    """``inspected_on`` and ``publication_workdays`` are absent from older events."""

    omit_when_none: ClassVar[frozenset[str]] = frozenset({"inspected_on",
                                                          "publication_workdays"})

    recorded_on: date | None
    publish_deadline: date
    detected_on: date
    overdue_workdays: int
    inspected_on: date | None = None
    publication_workdays: int | None = None


@dataclass(frozen=True)
class InspectionTaskOverdue(TaskFacts, Event):
    plan_ends_on: date
    inspected_on: date | None
    recorded_on: date | None
    detected_on: date
    overdue_workdays: int


@dataclass(frozen=True)
class InspectionTaskCancelled(TaskFacts, Event):
    reason: str
    department: str
    inspected_on: date | None
    cancelled_on: date


# -- targeted-<inspection id>: 重点检查 outside the random draw, opened by a risk alert --------


@dataclass(frozen=True)
class TargetedInspectionOpened(Event):
    inspection_id: str
    alert_id: str
    uscc: str
    level: str  # the alert's level when it was opened (orange | red)
    reasons: tuple[str, ...]  # the rules' names, as the alert gave them
    departments: tuple[str, ...]
    opened_on: date
    due: date


@dataclass(frozen=True)
class TargetedResult(Record):
    inspection_id: str
    alert_id: str
    uscc: str
    departments: tuple[str, ...]
    reasons: tuple[str, ...]
    inspected_on: date
    inspectors: tuple[str, ...]
    findings: str
    problem_found: bool
    follow_up: str


@dataclass(frozen=True)
class TargetedInspectionResultRecorded(TargetedResult, Event):
    recorded_on: date


@dataclass(frozen=True)
class TargetedInspectionResultPublished(TargetedResult, Event):
    published_on: date


RosterEvent = InspectorRegistered | InspectorChanged
PlanEvent = (SamplingPlanCreated | SamplingPlanPublished | DrawCompleted | RecusalRequested
             | RecusalDecided | InspectorReplaced | DrawAttemptFailed | DrawVoided)
TaskEvent = (InspectionTaskAssigned | InspectionTaskReassigned | InspectionTaskInspected
             | InspectionResultRecorded | InspectionResultPublished | PublicationOverdue
             | InspectionTaskOverdue | InspectionTaskCancelled)

ROSTER_EVENTS = EventCatalog(InspectorRegistered, InspectorChanged)
ITEM_EVENTS = EventCatalog(InspectionItemPublished)
PLAN_EVENTS = EventCatalog(SamplingPlanCreated, SamplingPlanPublished, DrawCompleted,
                           RecusalRequested, RecusalDecided, InspectorReplaced,
                           DrawAttemptFailed, DrawVoided)
TASK_EVENTS = EventCatalog(InspectionTaskAssigned, InspectionTaskReassigned,
                           InspectionTaskInspected, InspectionResultRecorded,
                           InspectionResultPublished, PublicationOverdue, InspectionTaskOverdue,
                           InspectionTaskCancelled)
TargetedEvent = (TargetedInspectionOpened | TargetedInspectionResultRecorded
                 | TargetedInspectionResultPublished)
TARGETED_EVENTS = EventCatalog(TargetedInspectionOpened, TargetedInspectionResultRecorded,
                               TargetedInspectionResultPublished)
EVENTS = EventCatalog(*ROSTER_EVENTS, *ITEM_EVENTS, *PLAN_EVENTS, *TASK_EVENTS,
                      *TARGETED_EVENTS)
