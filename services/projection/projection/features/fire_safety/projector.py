"""The fire-safety read model as a projection (shared.readside): one view per inspection
(stream fireinspection-<id>, `_v` its version); other fire-safety streams (checklists,
officials) are kept in the inbox and show nowhere."""

from __future__ import annotations

from projection.features.fire_safety.fold import FIELDS_OF, blank, evolve
from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.fire-safety"
INBOX = "fs_inbox"
VIEWS = "fs_inspections"
PREFIX = "fireinspection-"
EVENT_TYPES = frozenset(ce_type("fire_safety", name) for name in (
    "FireHazardIdentified", "FireInspectionCompleted", "FireInspectionCorrected",
    "FireInspectionItemRecorded", "FireInspectionStarted", "HazardDeterminedGeneral",
    "MajorHazardDetermined", "RectificationExtended", "RectificationOrderServiceOverdue",
    "RectificationOrdered", "RectificationOverdue", "RectificationVerified",
    "ReinspectionOverdue", "ReinspectionRecorded", "SealingConfirmationOverdue",
    "SealingConfirmed", "SealingLifted", "SealingOrdered"))


def targets(e: rs.Event) -> list[rs.DocKey]:
    if not e.stream.startswith(PREFIX):
        return []
    return [(VIEWS, e.stream.removeprefix(PREFIX))]


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """Every version of an inspection's stream reaches its view (unknown names change no
    field)."""
    changed = {}
    for key in targets(e):
        old = docs[key] or {}
        view = {**blank(key[1]), **{k: old[k] for k in FIELDS_OF if k in old}}
        changed[key] = {**old, **evolve(view, e.name, e.data)}
    return changed


PROJECTOR = rs.Projection(
    name="fire_safety", group=GROUP, topics=(topic_for("fire_safety"),),
    event_types=EVENT_TYPES, inbox=INBOX,
    collections={VIEWS: ("institution_uscc", "open_hazards", "open_major")},
    targets=targets, fold=fold, versioned=frozenset({VIEWS}))
