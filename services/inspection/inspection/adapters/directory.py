"""The object directory: institutions from registry events, credit levels from credit events,
risk classes from the risk service's RiskClassChanged (plans may sample by them).

Each source stream is applied with shared.readmodel.apply_many (``_v`` per document, a
consumer's batch in one read and one bulk write per collection), so a redelivered event
changes nothing. Credit documents are keyed by their stream (whatever the
credit service names it) and carry the USCC; the latest change per USCC wins.

The credit service assesses every institution when it is filed, so a filed institution without
a level is only waiting for that event. Until it arrives the institution is sampled in the
configured neutral class (Rules.unassessed_credit_level, the credit service's class for a new
institution) and says so: ``credit_assessed`` is False here and in the plan's snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pymongo.database import Database

from inspection.domain.model import CREDIT_LEVELS, RISK_CLASSES
from inspection.domain.rules import Rules
from inspection.domain.snapshot import DirectoryEntry
from shared.envelope import Envelope
from shared.readmodel import Change, apply_many

log = logging.getLogger(__name__)
OBJECTS, CREDIT, RISK = "insp_objects", "insp_credit", "insp_risk"
GROUP = "inspection.object-directory"
FILING_EVENTS = ("InstitutionFiled", "InstitutionFilingChanged")


def _registry_update(env: Envelope) -> dict[str, Any]:
    d = env.data
    if env.name in FILING_EVENTS:
        f = d["filing"]
        return {"uscc": d["uscc"], "name": f["name"], "district_code": f["district_code"],
                "operator_type": f["operator_type"], "beds": int(f["beds"]),
                "filing_status": "filed", "updated_at": env.time.isoformat()}
    if env.name == "InstitutionCancelled":
        return {"uscc": d["uscc"], "filing_status": "cancelled",
                "updated_at": env.time.isoformat()}
    return {}  # registrations etc. only move the version on


def credit_level_of(data: dict[str, Any]) -> str | None:
    """The new level of a CreditLevelChanged v1 (``level``; older drafts' names tolerated)."""
    for name in ("new_level", "level", "credit_level", "to_level"):
        value = data.get(name)
        if isinstance(value, str) and value.upper() in CREDIT_LEVELS:
            return value.upper()
    return None


class MongoObjectDirectory:
    """Read and write the directory in the inspection service's own database."""

    def __init__(self, db: Database,
                 unassessed_level: str = Rules().unassessed_credit_level) -> None:
        self.db = db
        self.objects, self.credit, self.risk = db[OBJECTS], db[CREDIT], db[RISK]
        self.unassessed_level = unassessed_level

    def ensure_indexes(self) -> None:
        self.objects.create_index("filing_status")
        self.credit.create_index("uscc")

    def apply(self, env: Envelope) -> bool:
        """Apply one registry, credit or risk event idempotently."""
        return self.apply_batch([env]) == 1

    def apply_batch(self, envs: Sequence[Envelope]) -> int:
        """Apply a consumer's batch idempotently: per collection one read of the versions
        and one bulk write (shared.readmodel.apply_many); how many events changed a
        document."""
        by_coll: dict[str, list[Change]] = {}
        for env in envs:
            found = self._change(env)
            if found is not None:
                by_coll.setdefault(found[0], []).append(found[1])
        return sum(apply_many(self.db[name], changes, GROUP)
                   for name, changes in by_coll.items())

    def _change(self, env: Envelope) -> tuple[str, Change] | None:
        """The collection and change an event makes (None: not the directory's)."""
        if env.service == "registry":
            uscc = str(env.data.get("uscc") or env.subject.removeprefix("institution-"))
            update = _registry_update(env)
            return OBJECTS, (uscc, env.stream_version, {"$set": update} if update else {})
        if env.service == "credit":
            level = credit_level_of(env.data) if env.name == "CreditLevelChanged" else None
            uscc = env.data.get("institution_uscc") or env.data.get("uscc")
            update: dict[str, Any] = {}
            if level and uscc:
                update = {"$set": {"uscc": str(uscc), "credit_level": level,
                                   "changed_at": env.time.isoformat()}}
            return CREDIT, (env.subject, env.stream_version, update)
        if env.service == "risk":  # the risk class of an institution (its risk-<USCC> stream)
            update = ({"$set": {"risk_class": str(env.data["risk_class"])}}
                      if env.name == "RiskClassChanged" else {})
            return RISK, (str(env.data.get("uscc") or env.subject), env.stream_version, update)
        return None

    def risk_classes(self) -> dict[str, str]:
        return {str(d["_id"]): str(d["risk_class"]) for d in
                self.risk.find({"risk_class": {"$in": list(RISK_CLASSES)}})}

    def credit_levels(self) -> dict[str, str]:
        """USCC -> current level (latest change wins when several streams name one USCC)."""
        docs = sorted(self.credit.find({"credit_level": {"$in": list(CREDIT_LEVELS)}}),
                      key=lambda d: str(d.get("changed_at", "")))
        return {str(d["uscc"]): str(d["credit_level"]) for d in docs}

    def entries(self) -> list[DirectoryEntry]:
        """Every filed institution with its credit level (not assessed yet: the neutral class,
        marked credit_assessed=False)."""
        levels, risks = self.credit_levels(), self.risk_classes()
        out = []
        for d in self.objects.find({"filing_status": "filed"}):
            level = levels.get(str(d["_id"]))
            out.append(DirectoryEntry(uscc=str(d["_id"]), district_code=str(d["district_code"]),
                                      operator_type=str(d["operator_type"]),
                                      filing_status="filed",
                                      credit_level=level or self.unassessed_level,
                                      credit_assessed=level is not None,
                                      risk_class=risks.get(str(d["_id"]), "low")))
        return out

    def get(self, uscc: str) -> dict[str, Any] | None:
        doc = self.objects.find_one({"_id": uscc})
        if doc is None:
            return None
        level = self.credit_levels().get(uscc)
        doc["credit_level"] = level or self.unassessed_level
        doc["credit_assessed"] = level is not None
        doc["risk_class"] = self.risk_classes().get(uscc, "low")
        return doc
