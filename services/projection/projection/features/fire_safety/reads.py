"""Queries behind the pages: per institution, supervised list, regulator due/overdue lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database

from projection.features import active
from projection.features.fire_safety.projector import PROJECTOR, VIEWS

LEVEL_LABELS = {"general": "一般火灾隐患", "major": "重大火灾隐患",
                "pending_expert_review": "待专家组判定"}
STATUS_LABELS = {"open": "待下达整改通知", "ordered": "限期整改中", "overdue": "逾期未整改",
                 "verified": "已整改（复查确认）"}


def _views(db: Database) -> Collection:
    return active(db, PROJECTOR, VIEWS)


def inspections(db: Database) -> list[dict[str, Any]]:
    """Every completed inspection with its hazards (public, as the pages show them)."""
    return [d for d in _views(db).find({}) if d.get("completed")]


def institution(db: Database, uscc: str) -> dict[str, Any] | None:
    """Last inspection date, open hazards by level and overdue rectifications."""
    docs = [d for d in _views(db).find({"institution_uscc": uscc}) if d.get("completed")]
    if not docs:
        return None
    docs.sort(key=lambda d: (d["inspection_date"], d["_id"]))
    hazards = [{**h, "inspection_date": d["inspection_date"]} for d in docs for h in d["hazards"]]
    open_ = [h for h in hazards if h["status"] in ("open", "ordered", "overdue")]
    by_level = {lv: sum(1 for h in open_ if h["level"] == lv) for lv in LEVEL_LABELS}
    return {"uscc": uscc, "name": docs[-1]["institution_name"],
            "last_inspection": docs[-1]["inspection_date"], "inspections": len(docs),
            "open_by_level": by_level, "open": open_,
            "overdue": [h for h in hazards if h["status"] == "overdue"]}


def supervised(db: Database) -> list[dict[str, Any]]:
    """Institutions with open major hazards (挂牌督办), most hazards first."""
    found: dict[str, dict[str, Any]] = {}
    for d in _views(db).find({"open_major": {"$gt": 0}}):
        row = found.setdefault(d["institution_uscc"], {
            "uscc": d["institution_uscc"], "name": d["institution_name"], "major": 0,
            "overdue": 0, "since": d["inspection_date"]})
        majors = [h for h in d["hazards"] if h["level"] == "major"
                  and h["status"] in ("open", "ordered", "overdue")]
        row["major"] += len(majors)
        row["overdue"] += sum(1 for h in majors if h["status"] == "overdue")
        row["since"] = min(row["since"], d["inspection_date"])
    return sorted(found.values(), key=lambda r: (-r["major"], r["uscc"]))


@dataclass(frozen=True)
class Due:
    """One date a regulator must watch."""

    what: str
    day: str
    hazard: dict[str, Any]
    uscc: str
    name: str


def _dues(h: dict[str, Any]) -> list[tuple[str, str]]:
    if h["status"] == "open":
        return [("送达整改通知", h["service_due"])]
    if h["status"] == "verified":
        return []
    out = [] if h["status"] == "overdue" else [("整改期限届满", h["deadline"])]
    return [*out, ("复查", h["reinspection_due"])]


def regulator(db: Database, today: date, horizon: date) -> dict[str, list[Due]]:
    """Dates due from today to the horizon, and those already missed."""
    due: list[Due] = []
    overdue: list[Due] = []
    for d in _views(db).find({"open_hazards": {"$gt": 0}}):
        for h in d["hazards"]:
            for what, day in _dues(h):
                item = Due(what, day, h, d["institution_uscc"], d["institution_name"])
                if day < today.isoformat():
                    overdue.append(item)
                elif day <= horizon.isoformat():
                    due.append(item)
            if h["status"] == "overdue":
                overdue.append(Due("逾期未整改", h["deadline"], h, d["institution_uscc"],
                                   d["institution_name"]))
    return {"due": sorted(due, key=lambda x: x.day), "overdue": sorted(overdue,
                                                                       key=lambda x: x.day)}
