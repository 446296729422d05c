"""What every view needs: the wired dependencies, problem docs, path ids, views of state."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from fire_safety.app.inspections import Deps
from fire_safety.domain.state import Hazard, Inspection
from shared.clock import china_today
from shared.http.problems import Problem
from shared.http.schemas import problem_doc

EXTENSION = "fire_safety"
INSPECTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
ITEM_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
HAZARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}\.[a-z][a-z0-9_]{0,49}$")


def deps() -> Deps:
    return current_app.extensions[EXTENSION]


def today() -> Any:
    return china_today(deps().clock)


def path_id(raw: str, pattern: re.Pattern[str], field: str) -> str:
    """An id from the URL, or 422 problem+json."""
    if not pattern.match(raw):
        raise Problem(422, "Unprocessable Entity", "路径中的编号格式错误",
                      errors={field: ["格式错误"]})
    return raw


def problems(blp: Blueprint, *codes: int) -> Any:
    """Document problem+json answers on a view."""

    def deco(fn: Any) -> Any:
        for code in codes:
            fn = problem_doc(blp, code, _TEXT[code])(fn)
        return fn

    return deco


_TEXT = {403: "无权执行（如非本次检查的承办部门、非消防救援机构人员）",
         404: "不存在", 409: "与当前状态冲突（如检查已完成、只能延期一次）",
         422: "请求数据未通过校验（errors 按字段列出）"}


def hazard_view(h: Hazard) -> dict[str, Any]:
    """A hazard with its order as the API shows it."""
    o = h.order
    order = None if o is None else {
        "order_no": o.order_no, "served_on": o.served_on, "served_late": o.served_late,
        "deadline_workdays": o.deadline_workdays, "deadline": o.deadline,
        "reinspection_due": o.reinspection_due, "extended": o.extended,
        "overdue_on": o.overdue_on, "verified_on": o.verified_on,
        "last_reinspected_on": o.last_reinspected_on,
        "reinspection_overdue_on": o.reinspection_overdue_on}
    return {"hazard_id": h.hazard_id, "item_code": h.item_code, "item_title": h.item_title,
            "level": h.level, "status": h.status, "identified_on": h.identified_on,
            "service_due": h.service_due, "service_overdue_on": h.service_overdue_on,
            "sealing": h.sealing, "order": order, "panel": _panel(h),
            "sealing_proposal": _proposal(h)}


def _proposal(h: Hazard) -> dict[str, Any] | None:
    """The collective sealing decision waiting for its members, if any."""
    p = h.proposal
    if p is None:
        return None
    return {"purpose": p.purpose, "scope": p.scope, "reason": p.reason,
            "members": list(p.members), "confirmed": list(p.confirmed),
            "waiting_for": list(p.waiting_for())}


def _panel(h: Hazard) -> dict[str, Any] | None:
    """The expert panel convened on it, and who has confirmed or dissented so far."""
    if not h.panel_members:
        return None
    return {"members": list(h.panel_members), "result": h.panel_result,
            "agreeing": [m for m, yes in h.votes if yes],
            "dissenting": [m for m, yes in h.votes if not yes],
            "concluded": h.panel_concluded}


def inspection_view(s: Inspection, version: int) -> dict[str, Any]:
    """An inspection, its item results and hazards as the API shows them."""
    results = [{"item_code": code, "outcome": r.outcome, "evidence": r.evidence,
                "level": r.level, "determined_by": list(r.determined_by),
                "agreeing": [m for m, yes in r.confirmations if yes],
                "dissenting": list(r.dissenting()), "waiting_for": list(r.waiting_for())}
               for code, r in s.results.items()]
    return {"inspection_id": s.inspection_id, "version": version,
            "institution_uscc": s.institution_uscc, "institution_name": s.institution_name,
            "kind": s.kind, "department": s.department, "inspection_date": s.inspection_date,
            "inspectors": [i.to_data() for i in s.inspectors], "task_id": s.task_id,
            "template_id": s.template_id, "template_version": s.template_version,
            "items": [i.to_data() for i in s.items], "results": results,
            "status": "completed" if s.completed_on else "open",
            "completed_on": s.completed_on, "corrections": s.corrections,
            "hazards": [hazard_view(h) for h in s.hazards.values()]}
