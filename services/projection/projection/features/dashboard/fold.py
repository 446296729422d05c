"""The leaders' dashboard: one fact per thing counted (a filing, a drawn inspection task, a
recorded result, a hazard found or closed, a penalty published, a listing, an institution's
deposit exposure), each with its metric, district and month; counters per
metric|district|month move with the facts (derive), so a redelivered event counts once.

Exposure is a gauge: its fact carries ``value`` (the institution's liabilities to residents
in fen after its last money event) under the month "now".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
FACTS = "dash_facts"
COUNTS = "dash_counts"
NOW = "now"
METRICS = {
    "filings": "新备案机构", "inspections_planned": "抽查任务（抽取）",
    "inspections_done": "抽查任务（已检查）", "hazards_found": "发现火灾隐患",
    "hazards_closed": "火灾隐患整改销号", "penalties_published": "公示行政处罚",
    "listings": "列入严重失信名单", "deposit_exposure_fen": "押金及预收费负债（分）",
    "complaints_received": "收到投诉举报", "targeted_inspections": "风险预警引起的重点检查",
    "alerts_red": "红色预警（当前）", "alerts_orange": "橙色预警（当前）",
    "alerts_yellow": "黄色预警（当前）",
}


def district(uscc: str) -> str:
    return uscc[2:8] if len(uscc) == 18 else ""


def fact(metric: str, where: str, day: str, value: int = 1) -> Doc:
    return {"metric": metric, "district": where, "month": day[:7] if day != NOW else NOW,
            "value": value}


# event name -> (fact id, new fact) from the event's data
FACTS_OF: dict[str, Callable[[dict[str, Any]], tuple[str, Doc]]] = {
    "InstitutionFiled": lambda d: (f"filing:{d['uscc']}", fact(
        "filings", (d.get("filing") or {}).get("district_code") or district(d["uscc"]),
        d["filed_on"])),
    "InspectionTaskAssigned": lambda d: (f"task:{d['task_id']}", fact(
        "inspections_planned", district(d["uscc"]), d["assigned_on"])),
    "InspectionTaskCancelled": lambda d: (f"task:{d['task_id']}", fact(
        "", district(d["uscc"]), d["cancelled_on"], 0)),  # no longer planned
    "InspectionResultRecorded": lambda d: (f"done:{d['task_id']}", fact(
        "inspections_done", district(d["uscc"]), d["inspected_on"])),
    "FireHazardIdentified": lambda d: (f"hazard:{d['hazard_id']}", fact(
        "hazards_found", district(d["institution_uscc"]), d["identified_on"])),
    "RectificationVerified": lambda d: (f"closed:{d['hazard_id']}", fact(
        "hazards_closed", district(d["institution_uscc"]), d["verified_on"])),
    "PenaltyPublished": lambda d: (f"penalty:{d['penalty_id']}", fact(
        "penalties_published", district(d.get("uscc") or ""), d["published_on"])),
    "SeriousDishonestyListed": lambda d: (f"listing:{d['listing_id']}", fact(
        "listings", district(d["uscc"]), d["decided_on"])),
}
FACTS_OF["ComplaintReceived"] = lambda d: (f"complaint:{d['complaint_id']}", fact(
    "complaints_received", d["district"], d["received_on"]))
FACTS_OF["TargetedInspectionOpened"] = lambda d: (f"targeted:{d['inspection_id']}", fact(
    "targeted_inspections", district(d["uscc"]), d["opened_on"]))
# an open alert is a gauge of its level now; escalation moves it, resolution takes it away
FACTS_OF["RiskAlertRaised"] = lambda d: (f"alert:{d['alert_id']}", fact(
    f"alerts_{d['level']}", district(d["uscc"]), NOW))
FACTS_OF["RiskAlertEscalated"] = FACTS_OF["RiskAlertRaised"]
FACTS_OF["RiskAlertResolved"] = lambda d: (f"alert:{d['alert_id']}", fact(
    "", district(d["uscc"]), NOW, 0))
EXPOSURE_EVENTS = ("DepositAccepted", "PrepaymentDrawn", "RefundIssued",
                   "BankStatementImported", "EscrowShortfallDetected",
                   "EscrowShortfallResolved")
for _name in EXPOSURE_EVENTS:
    FACTS_OF[_name] = lambda d: (f"exposure:{d['institution_uscc']}", fact(
        "deposit_exposure_fen", district(d["institution_uscc"]), NOW,
        int(d["totals"]["liabilities_fen"])))


def counter_key(doc: Doc | None) -> str | None:
    if not doc or not doc.get("metric") or not doc.get("district"):
        return None
    return f"{doc['metric']}|{doc['district']}|{doc['month']}"


def deltas(old: Doc | None, new: Doc | None) -> dict[str, int]:
    """How the counters move when a fact changes (weights: its value)."""
    moved: dict[str, int] = {}
    for doc, sign in ((new, 1), (old, -1)):
        key = counter_key(doc)
        if key is not None:
            moved[key] = moved.get(key, 0) + sign * int(doc["value"])  # type: ignore[index]
    return {k: v for k, v in moved.items() if v}
