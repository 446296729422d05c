"""The inspection pages' read model as a projection (shared.readside).

Plans, results, items and inspectors are each written from several streams (plan-, task-,
roster-, items-), so they carry no `_v`: each event's change sets fields to the state it
describes (views.changes), and folding it twice gives the same document. The per-stream
cursors keep the order and drop redeliveries.
"""

from __future__ import annotations

from typing import Any

from projection.features.inspection.views import INSPECTORS, ITEMS, PLANS, RESULTS, changes
from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.inspection"
INBOX = "insp_pub_inbox"
EVENT_TYPES = frozenset(ce_type("inspection", name) for name in (
    "SamplingPlanCreated", "SamplingPlanPublished", "DrawCompleted", "InspectorReplaced",
    "DrawAttemptFailed", "DrawVoided",
    "InspectionTaskAssigned", "InspectionTaskReassigned", "InspectionResultPublished",
    "PublicationOverdue", "InspectionTaskOverdue", "InspectionTaskCancelled",
    "InspectorRegistered", "InspectorChanged", "InspectionItemPublished",
    "TargetedInspectionResultPublished"))


def _changes(e: rs.Event) -> list[tuple[rs.DocKey, dict[str, Any]]]:
    return [((coll, doc_id), fields) for coll, doc_id, fields in changes(e.name, e.data)
            if fields]


def targets(e: rs.Event) -> list[rs.DocKey]:
    return [key for key, _ in _changes(e)]


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """Each document touched, with the event's fields set ("a.b" sets b inside a)."""
    changed: dict[rs.DocKey, rs.Doc] = {}
    for key, fields in _changes(e):
        doc = dict(changed.get(key) or docs[key] or {})
        for path, value in fields.items():
            _set(doc, path.split("."), value)
        changed[key] = doc
    return changed


def _set(doc: dict[str, Any], path: list[str], value: Any) -> None:
    head, *rest = path
    if not rest:
        doc[head] = value
        return
    inner = doc.get(head)
    doc[head] = inner = dict(inner) if isinstance(inner, dict) else {}
    _set(inner, rest, value)


PROJECTOR = rs.Projection(
    name="inspection", group=GROUP, topics=(topic_for("inspection"),),
    event_types=EVENT_TYPES, inbox=INBOX,
    collections={PLANS: (), RESULTS: ("uscc", "plan_id"), ITEMS: (), INSPECTORS: ()},
    targets=targets, fold=fold)
