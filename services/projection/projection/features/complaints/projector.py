"""Complaint statistics as a projection (shared.readside): one fact per complaint (month,
district, category, closed or not, handling working days; never its words nor who made it)
and counters derived from the facts, so the statistics page and the open data read a few
hundred counters instead of counting complaints per request."""

from __future__ import annotations

from collections import Counter

from shared.config import topic_for
from shared.envelope import ce_type
from shared.readside import projector as rs

GROUP = "projection.complaints"
INBOX = "cmp_inbox"
FACTS = "cmp_facts"
COUNTS = "cmp_counts"
EVENT_TYPES = frozenset(ce_type("complaints", n) for n in (
    "ComplaintReceived", "ComplaintClosed", "ComplaintOverdue"))
SEP = "|"


def targets(e: rs.Event) -> list[rs.DocKey]:
    return [(FACTS, str(e.data["complaint_id"]))]


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    (key,) = targets(e)
    old = docs[key] or {}
    d = e.data
    if e.name == "ComplaintReceived":
        new = {**old, "month": d["received_on"][:7], "district": d["district"],
               "category": d["category"], "channel": d["channel"]}
    elif e.name == "ComplaintClosed":
        new = {**old, "month": d["received_on"][:7], "district": d["district"],
               "category": d["category"], "closed": True, "outcome": d["outcome"],
               "workdays": int(d["handling_workdays"])}
    else:  # ComplaintOverdue
        new = {**old, "overdue": True}
    return {key: new}


def counts_of(doc: rs.Doc | None) -> Counter[str]:
    """The counters one fact adds to: received, closed by outcome, the handling time's
    histogram bucket, overdue; all per month, district and category."""
    out: Counter[str] = Counter()
    if not doc or "month" not in doc:
        return out
    where = SEP.join((doc["month"], doc["district"], doc["category"]))
    out[f"received{SEP}{where}"] += 1
    if doc.get("closed"):
        out[f"closed{SEP}{where}"] += 1
        out[f"outcome:{doc.get('outcome', '')}{SEP}{where}"] += 1
        out[f"days:{int(doc.get('workdays', 0))}{SEP}{where}"] += 1
    if doc.get("overdue"):
        out[f"overdue{SEP}{where}"] += 1
    return out


def derive(collection: str, old: rs.Doc | None, new: rs.Doc | None) -> rs.Increments:
    if collection != FACTS:
        return {}
    delta = counts_of(new)
    delta.subtract(counts_of(old))
    return {(COUNTS, k): n for k, n in delta.items() if n}


PROJECTOR = rs.Projection(
    name="complaints", group=GROUP, topics=(topic_for("complaints"),),
    event_types=EVENT_TYPES, inbox=INBOX, collections={FACTS: (), COUNTS: ()},
    targets=targets, fold=fold, counters=frozenset({COUNTS}), derive=derive,
    versioned=frozenset({FACTS}))
