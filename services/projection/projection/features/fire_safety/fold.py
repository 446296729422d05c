"""Pure fold of fire-safety events into one view per inspection (ints, ISO text, no people).

The same function serves live consumption and rebuilds, so both give the same documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

View = dict[str, Any]
OPEN = ("open", "ordered", "overdue")


def blank(inspection_id: str) -> View:
    """The view of an inspection nothing is known about."""
    return {"inspection_id": inspection_id, "institution_uscc": "", "institution_name": "",
            "kind": "", "inspection_date": "", "task_id": None, "completed": 0,
            "completed_on": "", "hazards": [], "open_hazards": 0, "open_major": 0}


def evolve(view: View, name: str, data: dict[str, Any]) -> View:
    """Apply one event; names this feature does not show leave the view as it is."""
    apply = _APPLY.get(name)
    if apply is None:
        return view
    out = apply(dict(view), data)
    hazards = out["hazards"]
    out["open_hazards"] = sum(1 for h in hazards if h["status"] in OPEN)
    out["open_major"] = sum(1 for h in hazards if h["status"] in OPEN and h["level"] == "major")
    return out


def _started(v: View, d: dict[str, Any]) -> View:
    return {**v, "institution_uscc": d["institution_uscc"],
            "institution_name": d["institution_name"], "kind": d["kind"],
            "inspection_date": d["inspection_date"], "task_id": d["task_id"]}


def _completed(v: View, d: dict[str, Any]) -> View:
    return {**_started(v, d), "completed": 1, "completed_on": d["completed_on"]}


def _identified(v: View, d: dict[str, Any]) -> View:
    hazard = {"hazard_id": d["hazard_id"], "item_title": d["item_title"], "level": d["level"],
              "status": "open", "identified_on": d["identified_on"],
              "service_due": d["service_due"], "service_overdue_on": "", "served_on": "",
              "served_late": 0, "deadline": "", "reinspection_due": "", "extended": 0,
              "overdue_on": "", "verified_on": "", "reinspection_overdue_on": "",
              "sealing": ""}
    return {**v, "hazards": [*v["hazards"], hazard]}


def _hazard(change: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
            ) -> Callable[[View, dict[str, Any]], View]:
    def apply(v: View, d: dict[str, Any]) -> View:
        hazards = [{**h, **change(h, d)} if h["hazard_id"] == d["hazard_id"] else h
                   for h in v["hazards"]]
        return {**v, "hazards": hazards}

    return apply


def _ordered(h: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ordered", "served_on": d["served_on"], "served_late": int(d["served_late"]),
            "deadline": d["deadline"], "reinspection_due": d["reinspection_due"]}


def _sealed(h: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    return {"sealing": "sealed" if d["decision"] == "collective" else "sealed_unconfirmed"}


_APPLY: dict[str, Callable[[View, dict[str, Any]], View]] = {
    "FireInspectionStarted": _started,
    "FireInspectionCompleted": _completed,
    "FireHazardIdentified": _identified,
    "MajorHazardDetermined": _hazard(lambda h, d: {"level": "major"}),
    "HazardDeterminedGeneral": _hazard(lambda h, d: {"level": "general"}),
    "RectificationOrdered": _hazard(_ordered),
    "RectificationOrderServiceOverdue": _hazard(
        lambda h, d: {"service_overdue_on": d["detected_on"]}),
    "RectificationExtended": _hazard(lambda h, d: {
        "extended": 1, "deadline": d["deadline"], "reinspection_due": d["reinspection_due"]}),
    "RectificationOverdue": _hazard(lambda h, d: {"status": "overdue",
                                                  "overdue_on": d["detected_on"]}),
    "RectificationVerified": _hazard(lambda h, d: {"status": "verified",
                                                   "verified_on": d["verified_on"]}),
    "ReinspectionOverdue": _hazard(lambda h, d: {"reinspection_overdue_on": d["detected_on"]}),
    "SealingOrdered": _hazard(_sealed),
    "SealingConfirmed": _hazard(lambda h, d: {"sealing": "sealed"}),
    "SealingLifted": _hazard(lambda h, d: {"sealing": "lifted"}),
}

FIELDS_OF = tuple(blank("").keys())
