"""Pure: how each inspection event changes the public documents (JSON-native values only)."""

from __future__ import annotations

from typing import Any

Change = tuple[str, str, dict[str, Any]]  # (collection, document id, fields to $set)
PLANS, RESULTS, ITEMS, INSPECTORS = ("insp_pub_plans", "insp_pub_results", "insp_pub_items",
                                     "insp_pub_inspectors")


def mask_certificate(number: str) -> str:
    """Keep the first two and last two characters: ZFCI000123 → ZF******23."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def _plan(name: str, d: dict[str, Any]) -> dict[str, Any]:
    if name == "SamplingPlanCreated":
        return {**{k: v for k, v in d.items() if k != "created_on"}, "status": "draft",
                "created_on": d["created_on"]}
    if name == "SamplingPlanPublished":
        return {"status": "published", "published": {k: v for k, v in d.items()
                                                     if k != "plan_id"}}
    if name == "InspectorReplaced":  # the draw stays as drawn; the current team beside it
        return {f"teams.{d['uscc']}": d["inspectors"],
                f"replacements.{d['sequence']}": {k: d[k] for k in (
                    "sequence", "task_id", "uscc", "recused", "replacement", "requested_by",
                    "replaced_on")}}
    n = d.get("attempt") or 1
    if name == "DrawAttemptFailed":  # public with its reason; nothing was drawn
        return {f"attempts.{n}-1": {"attempt": n, "outcome": "failed", "on": d["failed_on"],
                                    "reason": d["reason"], "beacon_index": d["beacon_index"]}}
    if name == "DrawVoided":  # the voided draw stays listed; the plan waits for a redraw
        return {"status": "published", "draw": None, "teams": {}, "replacements": {},
                f"attempts.{n}-2": {"attempt": n, "outcome": "voided", "on": d["voided_on"],
                                    "reason": d["reason"], "department": d["department"]}}
    # the conflict openings serve verification through the inspection API, not the pages
    return {"status": "drawn", "draw": {k: v for k, v in d.items()
                                        if k not in ("plan_id", "conflict_openings")},
            f"attempts.{n}-1": {"attempt": n, "outcome": "drawn", "on": d["drawn_on"],
                                "seed": d["seed"], "beacon_index": d.get("beacon_index")}}


def _result(name: str, d: dict[str, Any]) -> dict[str, Any]:
    if name == "InspectionResultPublished":
        return {**d, "status": "published"}
    if name == "InspectionTaskAssigned":
        return {"task_id": d["task_id"], "plan_id": d["plan_id"], "uscc": d["uscc"],
                "departments": d["departments"], "inspectors": d["inspectors"],
                "status": "assigned"}
    if name == "InspectionTaskReassigned":
        return {"inspectors": d["inspectors"]}
    if name == "PublicationOverdue":  # the regulator's lateness is public (一公开)
        return {"publication_overdue": {k: d.get(k) for k in (
            "inspected_on", "publish_deadline", "detected_on", "overdue_workdays",
            "publication_workdays")}}
    if name == "InspectionTaskOverdue":  # a drawn task left undone by the plan's end: public
        return {"plan_end_overdue": {k: d.get(k) for k in (
            "plan_ends_on", "inspected_on", "recorded_on", "detected_on", "overdue_workdays")}}
    if name == "InspectionTaskCancelled":  # that it was cancelled is public, the reason is not
        return {"status": "cancelled", "cancelled_on": d["cancelled_on"]}
    return {}  # visits and unpublished results stay internal until published


def changes(name: str, d: dict[str, Any]) -> list[Change]:
    """The documents one event touches; unknown events touch nothing."""
    if name in ("SamplingPlanCreated", "SamplingPlanPublished", "DrawCompleted",
                "InspectorReplaced", "DrawAttemptFailed", "DrawVoided"):
        return [(PLANS, d["plan_id"], _plan(name, d))]
    if name in ("InspectionTaskAssigned", "InspectionTaskReassigned",
                "InspectionResultPublished", "PublicationOverdue", "InspectionTaskOverdue",
                "InspectionTaskCancelled"):
        return [(RESULTS, d["task_id"], _result(name, d))]
    if name in ("InspectorRegistered", "InspectorChanged"):
        key = f"{d['department']}/{d['inspector_id']}"
        return [(INSPECTORS, key, {"department": d["department"],
                                   "certificate_masked": mask_certificate(d["certificate_no"])})]
    if name == "TargetedInspectionResultPublished":  # 重点检查: public like a drawn task's
        return [(RESULTS, d["inspection_id"], {
            **{k: v for k, v in d.items() if k not in ("inspectors", "alert_id")},
            "task_id": d["inspection_id"], "plan_id": "", "targeted": True,
            "inspector_count": len(d["inspectors"]), "on_time": True,
            "item_outcomes": [], "status": "published"})]
    if name == "InspectionItemPublished":
        ref = f"{d['department']}/{d['item_id']}"
        return [(ITEMS, ref, {k: d[k] for k in ("department", "item_id", "name", "legal_basis",
                                                "method", "revision")} | {"ref": ref})]
    return []

VIEWS_FOR_TESTS = (PLANS, RESULTS, ITEMS, INSPECTORS)
