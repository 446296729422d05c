"""The public's complaint pages on the public site: file a complaint, follow it, rate the
reply, and the statistics. Forms post here; this site passes them to the complaints service
(client.py) and shows its answer, field by field when something is wrong."""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from projection.domain import labels
from projection.features.complaints import client, stats
from projection.web import reads

bp = Blueprint("complaints_pages", __name__, url_prefix="/complaints",
               template_folder="templates")
# per person (client address), on top of the site's general rate: a complaint takes minutes
SUBMIT_RATE = "5 per minute; 30 per day"
RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
STAGES = {"received": "待受理", "accepted": "已受理，调查中", "investigated": "已调查，待答复",
          "replied": "已答复", "refused": "不予受理", "transferred": "已转其他部门办理"}
FINDINGS = {"substantiated": "属实", "partly": "部分属实", "unsubstantiated": "不属实"}
OUTCOMES = {"replied": "已答复办结", "refused": "不予受理", "merged": "已与同一事项的投诉合并办理"}
FIELDS = ("category", "institution", "institution_uscc", "institution_name", "district",
          "description", "anonymous", "contact_name", "contact_phone")


_categories_cache: dict[str, Any] = {}


def categories() -> list[dict[str, Any]]:
    """The complaint categories from the complaints service (kept five minutes)."""
    found = _categories_cache.get("rows")
    if found is not None and time.monotonic() - _categories_cache["at"] < 300:
        return list(found)
    answer = client.call("GET", "/categories")
    if answer.ok and isinstance(answer.body, list):
        _categories_cache.update(rows=answer.body, at=time.monotonic())
        return list(answer.body)
    return list(found or [])


def _page(template: str, status: int = 200, **values: Any) -> Response:
    body = render_template(template, districts=labels.DISTRICTS, stages=STAGES,
                           findings=FINDINGS, outcomes=OUTCOMES, ratings=RATINGS, **values)
    return Response(body, status=status, mimetype="text/html",
                    headers={"Cache-Control": "no-store"})


@bp.get("/")
def home() -> Response:
    return _page("complaints_home.html")


def _challenge() -> dict[str, Any] | None:
    answer = client.call("GET", "/challenge")
    return answer.body if answer.ok and isinstance(answer.body, dict) else None


def _form(values: dict[str, str], errors: dict[str, list[str]], detail: str = "",
          status: int = 200, matches: list[dict[str, Any]] | None = None) -> Response:
    cats = categories()
    challenge = _challenge()
    if challenge is None or not cats:
        return _page("complaints_unavailable.html", 503)
    return _page("complaints_new.html", status, values=values, errors=errors, detail=detail,
                 categories=cats, challenge=challenge, matches=matches or [],
                 key=values.get("key") or secrets.token_urlsafe(18))


@bp.get("/new")
def new() -> Response:
    return _form({"anonymous": "yes"}, {})


def _resolve(values: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The institution the complainant means: a USCC they picked or typed, or a name found
    in the directory (several: they choose), or a name and district not in the directory."""
    picked = values.get("institution_uscc", "").strip().upper()
    typed = values.get("institution", "").strip()
    if picked:
        found = reads.find_institution(picked)
        return {"institution_uscc": picked,
                "institution_name": (found or {}).get("name", typed)}, []
    if len(typed) == 18 and typed.isalnum():
        found = reads.find_institution(typed.upper())
        return {"institution_uscc": typed.upper(),
                "institution_name": (found or {}).get("name", "")}, []
    if typed and not values.get("district"):
        rows = reads.find_page({"q": typed[:50], "page": 1, "per_page": 10})["items"]
        if len(rows) == 1:
            return {"institution_uscc": rows[0]["uscc"],
                    "institution_name": rows[0]["name"]}, []
        return {}, rows
    return {"institution_uscc": "", "institution_name": typed,
            "district": values.get("district", "")}, []


@bp.post("/new")
def new_post() -> Response:
    values = {k: request.form.get(k, "") for k in (*FIELDS, "key", "altcha")}
    institution, matches = _resolve(values)
    if matches or (not institution and values.get("institution")):
        return _form(values, {"institution": [
            "找到多家名称相近的机构，请在下面选择一家；都不是时请选择机构所在区县"
            if matches else "名录中没有找到该机构，请选择机构所在区县后再提交"]},
            "请确认被投诉的机构", 422, matches)
    anonymous = values.get("anonymous") == "yes"
    body = {"category": values["category"], "description": values["description"],
            **institution, "anonymous": anonymous,
            "contact_name": "" if anonymous else values["contact_name"],
            "contact_phone": "" if anonymous else values["contact_phone"],
            "altcha": values["altcha"]}
    if not institution.get("district"):
        body.pop("district", None)
    answer = client.call("POST", "", body, key=values["key"])
    if answer.ok:
        return _page("complaints_receipt.html", 201 if answer.status == 201 else 200,
                     receipt=answer.body, label=_label(answer.body.get("category", "")))
    if answer.status == 503:
        return _page("complaints_unavailable.html", 503)
    errors = answer.errors
    if "institution_uscc" in errors or "institution_name" in errors:
        errors["institution"] = errors.pop("institution_uscc", []) + \
            errors.pop("institution_name", [])
    return _form({**values, "key": ""}, errors, answer.detail or "请按提示修改后重新提交",
                 answer.status if answer.status >= 400 else 422)


def _label(code: str) -> str:
    return next((c["label"] for c in categories() if c.get("code") == code), code)


@bp.get("/track")
def track() -> Response:
    return _page("complaints_track.html", values={}, errors={})


@bp.post("/track")
def track_post() -> Response:
    values = {k: request.form.get(k, "").strip() for k in ("complaint_id", "check_code")}
    answer = client.call("POST", "/status", values)
    if answer.ok:
        return _page("complaints_status.html", c=answer.body, check_code=values["check_code"])
    if answer.status == 503:
        return _page("complaints_unavailable.html", 503)
    errors = answer.errors or ({"check_code": [answer.detail]} if answer.status == 404 else {})
    return _page("complaints_track.html", answer.status if answer.status >= 400 else 422,
                 values=values, errors=errors, detail=answer.detail)


@bp.post("/rating")
def rate_post() -> Response:
    values = {k: request.form.get(k, "").strip()
              for k in ("complaint_id", "check_code", "rating")}
    answer = client.call("POST", "/rating", values)
    status = client.call("POST", "/status", {k: values[k] for k in
                                             ("complaint_id", "check_code")})
    if not status.ok:
        return _page("complaints_track.html", 404, values=values,
                     errors={"check_code": [status.detail]}, detail=status.detail)
    note = "感谢您的评价。" if answer.ok else (answer.detail or "评价未能提交")
    return _page("complaints_status.html", 200 if answer.ok else 409, c=status.body,
                 check_code=values["check_code"], note=note)


@bp.get("/statistics")
def statistics() -> Response:
    table = stats.summary(current_app.extensions["projection.db"]())
    return _page("complaints_stats.html", table=table,
                 labels={c["code"]: c["label"] for c in categories()})


@bp.record_once  # recorded after the routes above, so their views exist when it runs
def _limit_submissions(state: BlueprintSetupState) -> None:
    """Each POST of a person (client address) within SUBMIT_RATE."""
    limiter = state.app.extensions.get("rate_limiter")
    if limiter is None:
        return
    for view in (new_post, track_post, rate_post):
        endpoint = f"{bp.name}.{view.__name__}"
        state.app.view_functions[endpoint] = limiter.limit(SUBMIT_RATE)(
            state.app.view_functions[endpoint])
