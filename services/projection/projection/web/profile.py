"""One public profile per institution (机构公开档案): its filing, random and targeted inspections
with their results, fire hazards and their rectification, penalties on display, a listing on
the serious-dishonesty list and escrow compliance — each dated, each with the leaf of the
transparency log an outsider checks it against. Answers ``?as_of=`` like every public page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from projection.web import reads, translog
from projection.web.asof import requested
from projection.web.errors import error_page
from projection.web.paths import uscc_or_404

bp = Blueprint("profile", __name__)


def _db() -> Any:
    return current_app.extensions["projection.db"]()


def _results(db: Any, uscc: str) -> list[dict[str, Any]]:
    from projection.features import active
    from projection.features.inspection.projector import PROJECTOR
    from projection.features.inspection.views import RESULTS

    found = [r for r in active(db, PROJECTOR, RESULTS).find({"uscc": uscc})
             if r.get("status") == "published"]
    return sorted(found, key=lambda r: (r.get("inspected_on") or "", r["_id"]), reverse=True)


def _hazards(db: Any, uscc: str) -> list[dict[str, Any]]:
    from projection.features.fire_safety import reads as fire

    return sorted(({**h, "inspection_date": d["inspection_date"],
                    "status_label": fire.STATUS_LABELS.get(h.get("status"), ""),
                    "level_label": fire.LEVEL_LABELS.get(h.get("level"), "")}
                   for d in fire.inspections(db) if d["institution_uscc"] == uscc
                   for h in d["hazards"]),
                  key=lambda h: (h["inspection_date"], h["hazard_id"]), reverse=True)


def _credit(db: Any, uscc: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    from projection.features import active
    from projection.features.credit import pages as credit
    from projection.features.credit.projector import LISTINGS, PROJECTOR

    listing = active(db, PROJECTOR, LISTINGS).find_one({"_id": uscc})
    if listing is not None and listing.get("status") != "listed":
        listing = None  # proposals and past listings are not public
    return credit.disclosed_penalties(db, credit._today(), uscc), listing


def _escrow(db: Any, uscc: str) -> dict[str, Any] | None:
    from projection.features import active
    from projection.features.escrow import pages as escrow
    from projection.features.escrow.projector import INSTITUTIONS, PROJECTOR

    view = active(db, PROJECTOR, INSTITUTIONS).find_one({"_id": uscc})
    return None if view is None else escrow.public_row(view)


@bp.get("/institutions/<string:uscc>/profile")
def profile(uscc: str) -> Any:
    uscc = uscc_or_404(uscc)
    as_of = requested()
    inst = reads.find_institution(uscc, as_of)
    db = _db()
    results, hazards = _results(db, uscc), _hazards(db, uscc)
    penalties, listing = _credit(db, uscc)
    escrow = _escrow(db, uscc)
    if inst is None and not (results or hazards or penalties or listing or escrow):
        return error_page(404, "未找到该机构", [f"没有统一社会信用代码为 {uscc} 的公开记录"
                                            + (f"（截至 {as_of}）" if as_of else "") + "。"])
    keys = ([f"filing:{uscc}"] if inst and inst.get("filed_on") else []) + \
        [f"result:{r['_id']}" for r in results] + \
        [f"hazard:{h['hazard_id']}" for h in hazards if h.get("level") == "major"] + \
        [f"penalty:{p['_id']}" for p in penalties] + \
        ([f"listing:{listing.get('listing_id')}"] if listing else [])
    return render_template("profile.html", uscc=uscc, inst=inst, results=results,
                           hazards=hazards, penalties=penalties, listing=listing,
                           escrow=escrow, logged=translog.leaves(keys))
