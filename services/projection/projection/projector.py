"""The public directory as a projection: registry events folded into one document per
institution (view + public history), with counts per facet kept beside them.

Stream: the institution (its USCC). Every registry event is kept in the inbox (time travel
and the regulators' lead list read it there); leads advance the document's version only.
"""

from __future__ import annotations

from typing import Any

from projection.domain import counts, listing
from projection.domain.events import Event
from projection.domain.institution import FIELDS, blank, step
from shared.config import topic_for
from shared.envelope import Envelope, ce_type
from shared.readside import projector as rs

GROUP = "projection.public-directory"
INSTITUTIONS = "pub_institutions"  # generation N is pub_institutions_g<N>
INBOX = "proj_inbox"
SUBJECT_PREFIX = "institution-"
# the filters' fields and the directory's order fields (domain/listing.py): a new generation
# has them from the start; the name-search text index is made by the reader (adapters)
INDEXED = ("uscc", "name", "filing_status", "district_code", "operator_type", *listing.FIELDS)
EVENT_TYPES = frozenset(ce_type("registry", name) for name in (
    "EnterpriseRegistrationReceived", "EnterpriseRegistrationChanged", "InstitutionFiled",
    "InstitutionFilingChanged", "InstitutionCancelled", "UnfiledOperationSuspected"))


def uscc_of(env: Envelope) -> str:
    """The institution an event is about (every registry event names it)."""
    return str(env.data.get("uscc") or env.subject.removeprefix(SUBJECT_PREFIX))


def domain_event(e: rs.Event) -> Event:
    """The directory domain's view of a kept event."""
    return Event(name=e.name, data=e.data, version=e.version, time=e.time,
                 schema_version=e.schema_version)


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """The institution's document after ``e``: view fields, then the public history."""
    key = (INSTITUTIONS, e.stream)
    old = docs[key] or {}
    view, entry = step({**blank(e.stream), **{k: old[k] for k in FIELDS if k in old}},
                       domain_event(e))
    doc: dict[str, Any] = dict(view)
    history = old.get("history")
    if entry is not None:  # a lead adds nothing to the public history
        history = [*(history or []), entry]
    if history is not None:
        doc["history"] = history
    return {key: doc}


def derive(collection: str, old: rs.Doc | None, new: rs.Doc | None) -> rs.Increments:
    """Facet counts move with each institution's document."""
    if collection != INSTITUTIONS:
        return {}
    return {(counts.COUNTS, k): n for k, n in counts.deltas(old, new).items()}


PROJECTOR = rs.Projection(
    name="directory", group=GROUP, topics=(topic_for("registry"),), event_types=EVENT_TYPES,
    inbox=INBOX, collections={INSTITUTIONS: INDEXED, counts.COUNTS: ()},
    targets=lambda e: [(INSTITUTIONS, e.stream)], fold=fold,
    versioned=frozenset({INSTITUTIONS}), counters=frozenset({counts.COUNTS}), derive=derive,
    inbox_fields=lambda e: {"uscc": e.stream}, stream_of=uscc_of)
