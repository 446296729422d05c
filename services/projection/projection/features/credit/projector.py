"""Credit read models as a projection (shared.readside), written only from credit events.

- credit_penalties (``_id`` penalty id), credit_listings (``_id`` USCC), credit_levels
  (``_id`` USCC): one document per stream penalty-/dishonesty-/credit-<id>, `_v` its version.
- credit_measures (``_id`` measure id): written by its listing stream's measure events only,
  so its `_v` skips the listing's other versions.
Only JSON-native values are stored (dates as ISO text, flags as 0/1), never an ID hash.
"""

from __future__ import annotations

from projection.features.credit import views
from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.credit"
INBOX, PENALTIES, LISTINGS, MEASURES, LEVELS = ("credit_inbox", "credit_penalties",
                                                "credit_listings", "credit_measures",
                                                "credit_levels")
KINDS = {"penalty": PENALTIES, "dishonesty": LISTINGS, "credit": LEVELS}
# every credit event: a stream's document takes each of its versions (some set no field)
EVENT_TYPES = frozenset(ce_type("credit", name, v) for name, v in (
    ("CreditFilingNoted", 1), ("CreditLevelChanged", 1), ("CreditLevelChanged", 2),
    ("CreditRecordAdded", 1), ("CreditRecordWithdrawn", 1), ("CreditRepairDecided", 1),
    ("JointMeasureExecuted", 1), ("JointMeasureIssued", 1), ("JointMeasureLifted", 1),
    ("JointMeasureOverdue", 1), ("ListingCorrected", 1), ("PenaltyDecided", 1),
    ("PenaltyDecided", 2), ("PenaltyDisclosureOverdue", 1), ("PenaltyDisplayEndedEarly", 1),
    ("PenaltyPublished", 1), ("PenaltyWithdrawn", 1), ("SeriousDishonestyDelisted", 1),
    ("SeriousDishonestyListed", 1), ("SeriousDishonestyProposalRejected", 1),
    ("SeriousDishonestyProposed", 1)))


def targets(e: rs.Event) -> list[rs.DocKey]:
    kind, _, key = e.stream.partition("-")
    found = [(KINDS[kind], key)] if kind in KINDS else []
    if views.measure_fields(e.name, e.data) is not None:
        found.append((MEASURES, e.data["measure_id"]))
    return found


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """The stream's document gets the event's fields; a measure event also its measure."""
    changed = {}
    for key in targets(e):
        fields = (views.fields_for(e.name, e.data) if key[0] != MEASURES
                  else views.measure_fields(e.name, e.data))
        changed[key] = {**(docs[key] or {}), **(fields or {})}
    return changed


PROJECTOR = rs.Projection(
    name="credit", group=GROUP, topics=(topic_for("credit"),), event_types=EVENT_TYPES,
    inbox=INBOX, collections={PENALTIES: ("uscc", "display_until"), LISTINGS: ("status",),
                              MEASURES: ("department", "uscc"), LEVELS: ("level",)},
    targets=targets, fold=fold, versioned=frozenset({PENALTIES, LISTINGS, MEASURES, LEVELS}))
