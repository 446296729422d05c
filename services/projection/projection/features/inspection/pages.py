"""Public pages under /inspection: items, plans, draws with verification, results."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, current_app, render_template
from pymongo.collection import Collection
from pymongo.database import Database

from projection.features import active
from projection.features.inspection.labels import LABELS
from projection.features.inspection.projector import PROJECTOR
from projection.features.inspection.views import INSPECTORS, ITEMS, PLANS, RESULTS
from projection.web import translog
from projection.web.errors import error_page
from projection.web.paging import page_of
from projection.web.paths import uscc_or_404

bp = Blueprint("inspection_pages", __name__, url_prefix="/inspection",
               template_folder="templates")
PUBLIC_URL = "ELDERCARE_INSPECTION_PUBLIC_URL"  # where the inspection API is reachable


def _db() -> Database:
    return current_app.extensions["projection.db"]()


def _read(db: Database, collection: str) -> Collection:
    return active(db, PROJECTOR, collection)


def _api() -> str:
    return os.environ.get(PUBLIC_URL, "http://127.0.0.1:8002").rstrip("/")


def _team(db: Database, keys: list[str]) -> list[dict[str, str]]:
    """Department and masked certificate number only."""
    known = {d["_id"]: d for d in _read(db, INSPECTORS).find({"_id": {"$in": list(keys)}})}
    return [{"department": LABELS["department"].get(k.split("/")[0], k.split("/")[0]),
             "certificate": known.get(k, {}).get("certificate_masked", "（证号未公开）")}
            for k in keys]


def _render(template: str, **context: Any) -> str:
    return render_template(f"inspection/{template}", labels=LABELS, **context)


@bp.get("/")
def index() -> Any:
    """Plans with their commitments, newest first."""
    plans = sorted(_read(_db(), PLANS).find({}), key=lambda p: (-int(p.get("year", 0)),
                                                         p.get("series", ""),
                                                         -int(p.get("batch", 0))))
    shown, pager = page_of(plans)
    return _render("index.html", plans=shown, pager=pager)


@bp.get("/items")
def items() -> Any:
    """The published inspection-item list (抽查事项清单)."""
    return _render("items.html", items=sorted(_read(_db(), ITEMS).find({}),
                                                   key=lambda i: i["_id"]))


@bp.get("/plans/<plan_id>")
def plan(plan_id: str) -> Any:
    """One plan: before the draw its commitment and snapshot hash only; once drawn the seed,
    result, snapshot link, teams and any replacement after a recusal."""
    db = _db()
    found = _read(db, PLANS).find_one({"_id": plan_id})
    if found is None:
        return error_page(404, "未找到该抽查计划", [f"没有编号为 {plan_id} 的公开计划。"])
    teams = found.get("teams") or {}  # after replacements; the draw itself is unchanged
    tasks = [{**t, "team": _team(db, teams.get(t["uscc"], t["inspectors"])),
              "replaced": t["uscc"] in teams}
             for t in (found.get("draw") or {}).get("tasks", [])]
    replacements = [{**r, "out": _team(db, [r["recused"]])[0],
                     "in": _team(db, [r["replacement"]])[0]}
                    for _, r in sorted((found.get("replacements") or {}).items(),
                                       key=lambda kv: int(kv[0]))]
    results = list(_read(db, RESULTS).find({"plan_id": plan_id}))
    status = {r["_id"]: r.get("status") for r in results}
    for t in tasks:
        t["cancelled"] = status.get(t.get("task_id")) == "cancelled"
    # the regulator's own lateness is public accountability (一公开): results not published
    # within N working days of the inspection (also once published late), and drawn tasks
    # with no result by the plan's end date
    overdue = sorted((r for r in results if r.get("publication_overdue")),
                     key=lambda r: (r["publication_overdue"]["publish_deadline"], r["_id"]))
    unfinished = sorted((r for r in results if r.get("plan_end_overdue")),
                        key=lambda r: r["_id"])
    api = f"{_api()}/api/v1/plans/{plan_id}"
    attempts = [a for _, a in sorted((found.get("attempts") or {}).items(),
                                     key=lambda kv: tuple(int(x) for x in kv[0].split("-")))]
    logged = translog.leaves([f"plan:{plan_id}", f"draw:{plan_id}"])
    return _render("plan.html", plan=found, tasks=tasks, replacements=replacements,
                   attempts=attempts, logged=logged,
                   overdue=overdue, unfinished=unfinished,
                   ends_on=found.get("ends_on") or f"{found.get('year')}-12-31",
                   verify_url=f"{api}/verification", snapshot_url=f"{api}/snapshot")


@bp.get("/institutions/<uscc>")
def institution(uscc: str) -> Any:
    """Published inspection results of one institution."""
    uscc = uscc_or_404(uscc)
    db = _db()
    results = [{**r, "team": _team(db, r.get("inspectors", []))}
               for r in _read(db, RESULTS).find({"uscc": uscc})
               if r.get("status") == "published"]
    results.sort(key=lambda r: r.get("published_on", ""), reverse=True)
    logged = translog.leaves([f"result:{r['task_id']}" for r in results])
    return _render("institution.html", uscc=uscc, results=results, logged=logged)
