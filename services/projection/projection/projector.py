"""The public directory as a projection: registry events folded into one document per
institution (its public view), with counts per facet kept beside them.

Stream: the institution (its USCC). Every registry event is kept in the inbox (time travel,
the public change history and the regulators' lead list read it there); leads advance the
document's version only. The change history is not kept in the document: it grows with every
event, and every query that filters or sorts a document reads all of it (on nx-27017 a name
search parsed each candidate whole, 4 x slower with eight changes each). The reader replays
it from the inbox up to the document's version (projection.domain.fold.history).
"""

from __future__ import annotations

from typing import Any

from projection.domain import counts, csvline, listing, search
from projection.domain.events import Event
from projection.domain.institution import FIELDS, blank, evolve
from shared.config import topic_for
from shared.envelope import Envelope, ce_type
from shared.readside import projector as rs

GROUP = "projection.public-directory"
INSTITUTIONS = "pub_institutions"  # generation N is pub_institutions_g<N>
ROWS = "pub_directory_rows"  # per institution its CSV line and order fields: a narrow document
# the order fields of the downloads the open-data page offers (by status, all, by district and
# status); any other filter formats the documents (projection.adapters.directory.csv_lines)
ROW_FIELDS = tuple(listing.field_name(m) for m in ((True, False, False), (False, False, False),
                                                   (True, True, False)))
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


def targets(e: rs.Event) -> list[rs.DocKey]:
    """The institution's document and its row."""
    return [(INSTITUTIONS, e.stream), (ROWS, e.stream)]


def row_of(doc: rs.Doc) -> rs.Doc:
    """The institution's row: its order fields and its line of the CSV download."""
    return {**{f: doc[f] for f in ROW_FIELDS}, "csv": csvline.line(doc)}


def fold(docs: rs.Docs, e: rs.Event) -> dict[rs.DocKey, rs.Doc]:
    """The institution's document after ``e`` (its view fields; a history kept by an older
    version of this fold is dropped) and its row."""
    key = (INSTITUTIONS, e.stream)
    old = docs[key] or {}
    doc: dict[str, Any] = dict(evolve({**blank(e.stream), **{k: old[k] for k in FIELDS
                                                              if k in old}}, domain_event(e)))
    return {key: doc, (ROWS, e.stream): row_of(doc)}


def derive(collection: str, old: rs.Doc | None, new: rs.Doc | None) -> rs.Increments:
    """Facet counts and per-token name counts move with each institution's document."""
    if collection != INSTITUTIONS:
        return {}
    return {**{(counts.COUNTS, k): n for k, n in counts.deltas(old, new).items()},
            **{(search.COUNTS, k): n for k, n in search.deltas(old, new).items()}}


PROJECTOR = rs.Projection(
    name="directory", group=GROUP, topics=(topic_for("registry"),), event_types=EVENT_TYPES,
    inbox=INBOX, collections={INSTITUTIONS: INDEXED, ROWS: ROW_FIELDS, counts.COUNTS: (),
                 search.COUNTS: ()},
    targets=targets, fold=fold, versioned=frozenset({INSTITUTIONS, ROWS}),
    counters=frozenset({counts.COUNTS, search.COUNTS}), derive=derive,
    inbox_fields=lambda e: {"uscc": e.stream}, stream_of=uscc_of)
