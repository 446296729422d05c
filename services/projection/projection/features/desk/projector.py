"""The desk's read model as a projection (shared.readside): work items opened and closed by
the events of every write service (fold.py says which)."""

from __future__ import annotations

from projection.features.desk.fold import CHANGES, ITEMS, KEYS
from shared.clock import CHINA_TZ
from shared.config import topic_for
from shared.contracts import contracts_dir
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.desk"
INBOX = "desk_inbox"
SOURCES = {
    "fire_safety": ("FireInspectionItemRecorded", "CollectiveDeterminationConfirmed",
                    "FireInspectionCompleted", "FireHazardIdentified", "RectificationOrdered",
                    "RectificationExtended", "RectificationVerified", "SealingProposed",
                    "SealingOrdered", "SealingConfirmed", "SealingLifted",
                    "SealingMemberConfirmed"),
    "credit": ("PenaltyDecided", "PenaltyPublished", "PenaltyWithdrawn",
               "SeriousDishonestyProposed", "SeriousDishonestyListed",
               "SeriousDishonestyProposalRejected", "JointMeasureIssued",
               "JointMeasureExecuted", "JointMeasureLifted"),
    "registry": ("EnterpriseRegistrationReceived", "UnfiledOperationSuspected",
                 "InstitutionFiled"),
    "escrow": ("EscrowShortfallDetected", "EscrowShortfallResolved", "RefundOverdue",
               "RefundIssued", "EscrowAccountOpened", "BankStatementImported",
               "EscrowAccountClosed"),
    "risk": ("RiskAlertRaised", "RiskAlertEscalated", "RiskAlertResolved"),
    "complaints": ("ComplaintReceived", "ComplaintAccepted", "ComplaintRefused",
                   "ComplaintTransferred", "ComplaintReplied", "ComplaintClosed"),
    "inspection": ("SamplingPlanCreated", "SamplingPlanPublished", "DrawCompleted", "DrawVoided",
                   "InspectionTaskAssigned", "InspectionResultRecorded",
                   "InspectionResultPublished", "InspectionTaskCancelled",
                   "TargetedInspectionOpened", "TargetedInspectionResultRecorded",
                   "TargetedInspectionResultPublished"),
}


def _published_versions(service: str, name: str) -> list[int]:
    """Every schema version of the event in contracts/events (a stream keeps old ones)."""
    folder = contracts_dir() / "events" / service
    return sorted(int(p.name.rsplit(".v", 1)[1].split(".")[0])
                  for p in folder.glob(f"{name}.v*.json")) or [1]


EVENT_TYPES = frozenset(ce_type(service, name, v) for service, names in SOURCES.items()
                        for name in names for v in _published_versions(service, name))


def targets(e: rs.Event) -> list[rs.DocKey]:
    key = KEYS.get(e.name)
    if key is None:
        return []
    found = key(e.data)
    return [(ITEMS, k) for k in ([found] if isinstance(found, str) else found)]


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """Set fields only: folding an event again gives the same item. Every item belongs to
    one stream (a hazard to its inspection's, a penalty to its own ...), so the collection is
    versioned: an event redelivered after later ones leaves the item alone."""
    changed = {}
    data = {**e.data, "_on": rs.aware(e.time).astimezone(CHINA_TZ).date().isoformat()}
    found = targets(e)
    # "_key": which item, when one event touches several; "_items": all of them as they were
    data["_items"] = {t[1]: docs[t] for t in found}
    for target in found:
        new = CHANGES[e.name](docs[target], {**data, "_key": target[1]})
        if new is not None:
            changed[target] = new
    return changed


PROJECTOR = rs.Projection(
    name="desk", group=GROUP, topics=tuple(topic_for(s) for s in SOURCES),
    event_types=EVENT_TYPES, inbox=INBOX, collections={ITEMS: ("open", "due", "departments")},
    targets=targets, fold=fold, versioned=frozenset({ITEMS}))
