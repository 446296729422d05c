"""Credit pages: public penalties and dishonesty list, per-institution credit page (public);
joint-enforcement views per department and the civil-affairs matrix (department tokens)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, current_app, g, render_template
from pymongo.collection import Collection
from pymongo.database import Database

from projection.features import active
from projection.features.credit import views
from projection.features.credit.projector import LISTINGS, MEASURES, PENALTIES, PROJECTOR
from projection.web import asof, translog
from projection.web.paging import page_of
from projection.web.paths import uscc_or_404
from projection.web.regulator_auth import department_required, institutions_in_regions
from shared.clock import Clock, SystemClock, china_today

bp = Blueprint("credit_pages", __name__, url_prefix="/credit", template_folder="templates")
CLOCK = "credit.clock"  # tests put a FixedClock here; pages then show that day's state
DEPTS = tuple(views.DEPARTMENTS)
LABELS = {"sanctions": views.SANCTIONS, "grounds": views.GROUNDS, "depts": views.DEPARTMENTS,
          "statuses": views.STATUSES, "delist_reasons": views.DELIST_REASONS}


def _db() -> Database:
    return current_app.extensions["projection.db"]()


def _read(db: Database, collection: str) -> Collection:
    return active(db, PROJECTOR, collection)


def _today() -> str:
    """Today, or the day a page is looked at as of (?as_of=)."""
    clock: Clock = current_app.extensions.get(CLOCK) or SystemClock()
    return (asof.requested() or china_today(clock)).isoformat()


def _render(template: str, **kw: Any) -> str:
    return render_template(f"credit/{template}", today=_today(), **LABELS, **kw)


def disclosed_penalties(db: Database, today: str, uscc: str | None = None) -> list[dict]:
    """Penalties the public may see today, newest publication first."""
    query = {"uscc": uscc} if uscc else {"display_until": {"$gte": today}}
    found = [p for p in _read(db, PENALTIES).find(query) if views.on_display(p, today)]
    return sorted(found, key=lambda p: (p["published_on"], p["_id"]), reverse=True)


@bp.get("/penalties")
def penalties() -> str:
    """行政处罚信息公示 (only during each display period)."""
    rows, pager = page_of(disclosed_penalties(_db(), _today()))
    logged = translog.leaves([f"penalty:{p['_id']}" for p in rows])
    return _render("penalties.html", rows=rows, pager=pager, logged=logged)


@bp.get("/dishonesty")
def dishonesty() -> str:
    """严重失信主体名单 (institutions currently listed; persons masked)."""
    rows, pager = page_of(sorted(_read(_db(), LISTINGS).find({"status": "listed"}),
                                 key=lambda r: r["decided_on"], reverse=True))
    logged = translog.leaves([f"listing:{r.get('listing_id')}" for r in rows])
    return _render("dishonesty.html", rows=rows, pager=pager, logged=logged)


@bp.get("/institutions/<string:uscc>")
def institution(uscc: str) -> str:
    """One institution's disclosed credit information."""
    uscc = uscc_or_404(uscc)
    db = _db()
    listing = _read(db, LISTINGS).find_one({"_id": uscc})
    if listing is not None and listing.get("status") != "listed":
        listing = None  # proposals and past listings are not public
    return _render("institution.html", uscc=uscc, listing=listing,
                   rows=disclosed_penalties(db, _today(), uscc))


def _names(db: Database, usccs: set[str]) -> dict[str, str]:
    docs = _read(db, LISTINGS).find({"_id": {"$in": sorted(usccs)}}, {"institution_name": 1})
    return {d["_id"]: d.get("institution_name", "") for d in docs}


@bp.get("/joint-enforcement")
@department_required(*DEPTS)
def joint() -> str:
    """The department's joint-punishment measures: pending, deadlines, overdue, executed."""
    db, today, role = _db(), _today(), g.principal.role
    query = {"department": role}
    mine = institutions_in_regions(_read(db, MEASURES).find(query), lambda m: m["uscc"])
    rows = [{**m, "state": views.measure_state(m, today)} for m in mine]
    rows.sort(key=lambda m: ({"overdue": 0, "pending": 1, "executed": 2, "lifted": 3}[m["state"]],
                             m["due_by"]))
    return _render("joint.html", rows=rows, role=role,
                   names=_names(db, {m["uscc"] for m in rows}))


@bp.get("/joint-enforcement/matrix")
@department_required("civil_affairs")
def matrix() -> str:
    """Civil affairs: who has executed what, per listed institution and department."""
    db, today = _db(), _today()
    cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in _read(db, MEASURES).find({}):
        cells[m["uscc"]][m["department"]].append(views.measure_state(m, today))
    listed = {d["_id"]: d for d in _read(db, LISTINGS).find({"status": "listed"})}
    rows = [{"uscc": u, "name": listed[u].get("institution_name", ""), "cells": cells[u]}
            for u in institutions_in_regions(sorted(listed), lambda u: u) if u in cells]
    columns = sorted({d for r in rows for d in r["cells"]}, key=DEPTS.index)
    return _render("matrix.html", rows=rows, columns=columns)
