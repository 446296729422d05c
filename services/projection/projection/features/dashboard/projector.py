"""The dashboard's read model as a projection (shared.readside): facts and their counters."""

from __future__ import annotations

from projection.features.dashboard.fold import COUNTS, FACTS, FACTS_OF, deltas
from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.dashboard"
INBOX = "dash_inbox"
SOURCES = {
    "registry": ("InstitutionFiled",),
    "inspection": ("InspectionTaskAssigned", "InspectionTaskCancelled",
                   "InspectionResultRecorded", "TargetedInspectionOpened"),
    "complaints": ("ComplaintReceived",),
    "risk": ("RiskAlertRaised", "RiskAlertEscalated", "RiskAlertResolved"),
    "fire_safety": ("FireHazardIdentified", "RectificationVerified"),
    "credit": ("PenaltyPublished", "SeriousDishonestyListed"),
    "escrow": ("DepositAccepted", "PrepaymentDrawn", "RefundIssued", "BankStatementImported",
               "EscrowShortfallDetected", "EscrowShortfallResolved"),
}
EVENT_TYPES = frozenset(ce_type(s, n) for s, names in SOURCES.items() for n in names)


def targets(e: rs.Event) -> list[rs.DocKey]:
    make = FACTS_OF.get(e.name)
    return [(FACTS, make(e.data)[0])] if make else []


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    make = FACTS_OF.get(e.name)
    if make is None:
        return {}
    key, doc = make(e.data)
    return {(FACTS, key): doc}


def derive(collection: str, old: rs.Doc | None, new: rs.Doc | None) -> rs.Increments:
    if collection != FACTS:
        return {}
    return {(COUNTS, k): n for k, n in deltas(old, new).items()}


PROJECTOR = rs.Projection(
    name="dashboard", group=GROUP, topics=tuple(topic_for(s) for s in SOURCES),
    event_types=EVENT_TYPES, inbox=INBOX, collections={FACTS: ("metric",), COUNTS: ()},
    targets=targets, fold=fold, counters=frozenset({COUNTS}), derive=derive,
    versioned=frozenset({FACTS}))  # each fact belongs to one stream: redeliveries count once
