"""HTML pages: per institution (public), supervised list (public), regulator view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from pymongo.database import Database

from projection.features.fire_safety import reads
from projection.web import asof, translog
from projection.web.paging import page_of
from projection.web.paths import uscc_or_404
from projection.web.regulator_auth import department_required, institutions_in_regions
from shared.clock import Clock, SystemClock, china_today
from shared.workdays import WorkCalendar

bp = Blueprint("fire_safety_pages", __name__, url_prefix="/fire-safety",
               template_folder="templates")
CLOCK = "fire_safety.clock"  # tests put a FixedClock here
HORIZON_WORKDAYS = 5


def _db() -> Database:
    return current_app.extensions["projection.db"]()


def _clock() -> Clock:
    return current_app.extensions.get(CLOCK) or SystemClock()


def _labels() -> dict[str, Any]:
    return {"levels": reads.LEVEL_LABELS, "statuses": reads.STATUS_LABELS}


@bp.get("/")
def supervised() -> str:
    """Institutions with major fire hazards under supervised rectification (挂牌督办)."""
    rows, pager = page_of(reads.supervised(_db()))
    return render_template("fire_safety/supervised.html", rows=rows, pager=pager, **_labels())


@bp.get("/institutions/<uscc>")
def institution(uscc: str) -> str:
    """One institution's fire-safety record."""
    code = uscc_or_404(uscc)
    found = reads.institution(_db(), code)
    majors = [h["hazard_id"] for h in (found or {}).get("open", []) if h.get("level") == "major"]
    logged = translog.leaves([f"hazard:{h}" for h in majors])  # 挂牌督办: in the log
    return render_template("fire_safety/institution.html", uscc=code, rec=found,
                           logged=logged, **_labels())


@bp.get("/regulator")
@department_required("fire_rescue", "civil_affairs")
def regulator() -> str:
    """Everything due in the next 5 working days and everything overdue."""
    today = asof.requested() or china_today(_clock())
    horizon = WorkCalendar().add_workdays(today, HORIZON_WORKDAYS)
    lists = {k: institutions_in_regions(v, lambda d: d.uscc)
             for k, v in reads.regulator(_db(), today, horizon).items()}
    return render_template("fire_safety/regulator.html", today=today, horizon=horizon,
                           **lists, **_labels())
