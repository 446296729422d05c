"""The console's pages: the desk, one page per institution, one form per workflow.

Every page needs a signed-in official (the identity service's code flow with PKCE; the
session and its access token stay on the server). Forms carry a CSRF token derived from the
session cookie and an Idempotency-Key that the service sees: a double click or a reload of
the answer acts once. The service's problem+json errors are shown next to their fields.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from console import forms
from console.charts import bars
from console.gateway import LABELS, Answer, Gateway
from console.workflows import BY_ID, COMPLAINT_STEPS, KINDS, Workflow, action, for_department
from console.workflows import LABELS as FIELD_LABELS
from shared.authority import DEPARTMENT_NAMES, DUTY_NAMES, LEADER, Authority
from shared.clock import CHINA_TZ, SystemClock, china_today
from shared.divisions import district_name
from shared.http import oidc_client

bp = Blueprint("console", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
F = TypeVar("F", bound=Callable[..., Any])
GATEWAY = "console.gateway"
DATABASE = "console.database"  # sign-in sessions and forms kept across a re-sign-in
RESUME = "page_resume"
CLOCK = "console.clock"  # tests put a FixedClock here


def gateway() -> Gateway:
    return current_app.extensions[GATEWAY]  # type: ignore[no-any-return]


def signed_in(fn: F) -> F:
    """The official of this session, or off to sign in (back here afterwards)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ext = oidc_client.sign_in()
        cookie = request.cookies.get(oidc_client.SESSION_COOKIE, "")
        token = ext.token(cookie)
        authority = oidc_client.session_authority() if token else None
        if authority is None:
            if request.method != "GET":
                return _expired_submission(ext, cookie)
            return redirect(url_for("oidc_sign_in.login", next=request.full_path.rstrip("?")))
        g.principal, g.token, g.csrf = authority, token, _csrf(cookie)
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


RESUME_SECONDS = 1800


def _expired_submission(ext: oidc_client.PageSignIn, cookie: str) -> Response:
    """A form sent after the session expired is not forwarded; what was typed is kept (30
    minutes, for the same official, once) when the form is the session's own (its CSRF
    token matches), and the form reopens with it after signing in again."""
    sub = ext.session_sub(cookie)
    resume = ""
    if sub and hmac.compare_digest(request.form.get("csrf", ""), _csrf(cookie)):
        resume = secrets.token_urlsafe(24)
        values = {k: v for k, v in request.form.items() if k not in CONTROL}
        kept = current_app.extensions[DATABASE]()[RESUME]
        kept.delete_many({"expires": {"$lt": time.time()}})  # nothing typed outlives 30 min
        kept.insert_one({
            "_id": resume, "sub": sub, "path": request.path, "values": values,
            "expires": time.time() + RESUME_SECONDS})
    target = f"{request.path}?resume={resume}" if resume else request.path
    text = ("为安全起见，登录超过时限后需要重新登录；本次提交未发送。"
            + ("重新登录后表单会恢复您填写的内容，请检查后再提交。" if resume else ""))
    return _message(401, "登录已过期", text,
                    link=(url_for("oidc_sign_in.login", next=target), "重新登录"))


def _resumed(path: str) -> dict[str, str]:
    """What the signed-in official typed before their session expired (once), or {}."""
    ref = request.args.get("resume", "")
    if not ref:
        return {}
    doc = current_app.extensions[DATABASE]()[RESUME].find_one_and_delete({"_id": ref})
    if doc is None or doc["expires"] < time.time() or doc["sub"] != g.principal.sub \
            or doc["path"] != path:
        return {}
    return dict(doc["values"])


def _csrf(cookie: str) -> str:
    """A token only the holder of the (HttpOnly) session cookie can know."""
    return hmac.new(cookie.encode(), b"console-csrf", hashlib.sha256).hexdigest()


def _check_csrf() -> None:
    if not hmac.compare_digest(request.form.get("csrf", ""), g.csrf):
        abort(_message(400, "表单已失效", "表单校验未通过（可能来自其他网站或已过期），"
                       "请返回重新打开表单后提交。"))


def _message(status: int, title: str, text: str,
             link: tuple[str, str] | None = None) -> Response:
    body = render_template("message.html", title=title, text=text, link=link)
    return Response(body, status=status, mimetype="text/html")


@bp.app_context_processor
def _names() -> dict[str, Any]:
    return {"DEPARTMENT_NAMES": DEPARTMENT_NAMES, "DUTY_NAMES": DUTY_NAMES,
            "SERVICE_LABELS": LABELS, "me": g.get("principal"), "csrf": g.get("csrf", "")}


PAGE = 30  # work items per page


@bp.get("/")
@signed_in
def desk() -> str:
    """My desk: the open work items of the official's department and regions (the
    projection's read model, built from events), overdue first, with counts per kind."""
    me: Authority = g.principal
    answer = gateway().get("projection", "/api/v1/desk", g.token)
    found = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    kind = request.args.get("kind", "")
    q = request.args.get("q", "").strip()[:60]
    items = [i for i in found.get("items", []) if (not kind or i.get("kind") == kind)
             and (not q or any(q in (i.get(k) or "") for k in ("name", "uscc", "ref")))]
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(items) // PAGE))
    shown = [{**i, "label": _label(i), "action": action(i), "page": _page_of(i)}
             for i in items[(page - 1) * PAGE: page * PAGE]]
    return render_template("desk.html", groups=for_department(me.department), items=shown,
                           counts=found.get("counts", {}), overdue=found.get("overdue", 0),
                           late=found.get("overdue_counts", {}),
                           kinds=KINDS, kind=kind, q=q, page=page, pages=pages,
                           total=len(items), unavailable=None if answer.ok else answer,
                           as_of=found.get("as_of", ""))


LEVELS = {"red": "红色", "orange": "橙色", "yellow": "黄色"}


def _label(item: dict[str, Any]) -> str:
    kind = KINDS.get(item.get("kind", ""))
    label = kind.label if kind else str(item.get("kind", ""))
    if item.get("level"):
        label = f"{label}（{LEVELS.get(item['level'], item['level'])}）"
    if item.get("reasons"):
        label = f"{label}：{'、'.join(item['reasons'])}"
    return label


def _page_of(item: dict[str, Any]) -> tuple[str, dict[str, str]] | None:
    """A page to read before acting (a complaint, an institution's risk), if the kind has one."""
    kind = KINDS.get(item.get("kind", ""))
    if kind is None or not kind.page:
        return None
    value = item.get("uscc") if kind.page_param == "uscc" else item.get("ref")
    return (kind.page, {kind.page_param: str(value or "")})


@bp.get("/institutions")
@signed_in
def find() -> Response:
    uscc = request.args.get("uscc", "").strip().upper()
    if not uscc:
        return redirect(url_for("console.desk"))  # type: ignore[return-value]
    return redirect(url_for("console.institution", uscc=uscc))  # type: ignore[return-value]


FLATTEN = {"filing", "details"}  # wrappers whose fields read best without the wrapper's name
VALUE_LABELS = {"filed": "已备案", "cancelled": "已注销", "private_profit": "民办营利",
                "private_nonprofit": "民办非营利", "public": "公办", "public_private": "公建民营",
                "owned": "自有", "leased": "租赁", "free_use": "无偿使用", "other": "其他"}
SECTIONS = (("registry", "备案", "/api/v1/institutions/{uscc}"),
            ("credit", "信用档案", "/api/v1/credit-files/{uscc}"),
            ("credit", "严重失信名单", "/api/v1/dishonesty/{uscc}"),
            ("escrow", "押金与预收费监管", "/api/v1/institutions/{uscc}"),
            ("inspection", "双随机检查对象", "/api/v1/objects/{uscc}"),
            ("risk", "风险等级与预警", "/api/v1/institutions/{uscc}/risk"))


@bp.get("/institutions/<uscc>")
@signed_in
def institution(uscc: str) -> str:
    """Everything the services will show this official about one institution."""
    sections = []
    for service, title, path in SECTIONS:
        answer = gateway().get(service, path.replace("{uscc}", quote(uscc, safe="")), g.token)
        sections.append({"title": title, "service": service, "answer": answer,
                         "rows": _rows(answer.body) if answer.ok else []})
    actions = [w for ws in for_department(g.principal.department).values() for w in ws
               if w.path.count("{") == 1 and "{uscc}" in w.path]
    desk = gateway().get("projection", "/api/v1/desk", g.token)
    open_items = [{**i, "label": _label(i), "action": action(i), "page": _page_of(i)}
                  for i in (desk.body or {}).get("items", []) if i.get("uscc") == uscc] \
        if desk.ok and isinstance(desk.body, dict) else []
    return render_template("institution.html", uscc=uscc, sections=sections, actions=actions,
                           open_items=open_items)


COMPLAINT_STAGES = {"received": "待受理", "accepted": "已受理，调查中",
                    "investigated": "已调查，待答复", "replied": "已答复", "refused": "不予受理",
                    "transferred": "已转办"}


@bp.get("/complaints/<complaint_id>")
@signed_in
def complaint(complaint_id: str) -> Any:
    """One complaint in full for the departments handling it (the complaints service decides
    and logs the read), with each department's track and the steps to take."""
    answer = gateway().get("complaints",
                           f"/api/v1/complaints/{quote(complaint_id, safe='')}", g.token)
    if not answer.ok:
        return _message(answer.status if answer.status >= 400 else 502, "无法查看该投诉",
                        _explain(answer))
    body = answer.body
    mine = next((t for t in body.get("tracks", [])
                 if t.get("department") == g.principal.department), None)
    steps = [BY_ID[w] for w in COMPLAINT_STEPS]
    return render_template("complaint.html", c=body, mine=mine, steps=steps,
                           stages=COMPLAINT_STAGES)


def _rows(body: Any, prefix: str = "", depth: int = 0) -> list[tuple[str, str]]:
    """A JSON answer as (label, text) rows; nested objects flattened under their label."""
    if not isinstance(body, dict):
        return []
    out = []
    for key, value in body.items():
        label = FIELD_LABELS.get(key, key)
        if isinstance(value, dict):
            if depth < 3:
                out += _rows(value, "" if key in FLATTEN else f"{prefix}{label} · ", depth + 1)
        elif isinstance(value, list):
            out.append((prefix + label, f"{len(value)} 项" if value and isinstance(
                value[0], dict) else "、".join(map(str, value)) or "无"))
        elif value is not None:
            shown = {True: "是", False: "否"}.get(value, value) if isinstance(value, bool) \
                else VALUE_LABELS.get(str(value), value)
            out.append((prefix + label, str(shown)))
    return out


def _months(today: date, n: int = 12) -> list[str]:
    """The last ``n`` months up to ``today``'s, oldest first (YYYY-MM)."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


ORDER = ["alerts_red", "alerts_orange", "alerts_yellow", "complaints_received",
         "targeted_inspections", "filings", "inspections_planned", "inspections_done",
         "hazards_found", "hazards_closed", "penalties_published", "listings",
         "deposit_exposure_fen"]
GAUGES = {"alerts_red", "alerts_orange", "alerts_yellow"}  # counted now, by district


@bp.get("/status")
@signed_in
def status() -> Any:
    """运行状态: each relay's backlog, each consumer's lag (from the platform's own positions)
    and when each last made progress; events set aside as poison."""
    answer = gateway().get("projection", "/ops/status", g.token)
    found = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    return render_template("status.html", found=found, unavailable=None if answer.ok
                           else answer, when=_when, labels=LABELS)


def _when(epoch: float | None) -> str:
    """An epoch time as China time, or —."""
    if not epoch:
        return "—"
    return datetime.fromtimestamp(float(epoch), CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


@bp.get("/dashboard")
@signed_in
def dashboard() -> Any:
    """Leaders: per district and month within their regions, as charts with their tables."""
    me: Authority = g.principal
    if not me.has_any_duty((LEADER,)):
        return _message(403, "无权访问", "统计驾驶舱供负责人使用；本账号没有负责人职责。")
    answer = gateway().get("projection", "/api/v1/dashboard", g.token)
    if not answer.ok:
        return render_template("dashboard.html", charts=[], unavailable=answer)
    months = _months(china_today(current_app.extensions.get(CLOCK) or SystemClock()))
    found = answer.body
    rows = found.get("rows", [])
    charts = []
    titles = found.get("metrics", {})
    for metric in sorted(titles, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER)):
        mine = [r for r in rows if r["metric"] == metric]
        districts = sorted({r["district"] for r in mine})

        def total(district: str | None = None, month: str | None = None,
                  mine: list[dict[str, Any]] = mine) -> int:
            return sum(r["n"] for r in mine if district in (None, r["district"])
                       and month in (None, r["month"]))

        if metric == "deposit_exposure_fen":
            series = [(district_name(d), total(d) // 100) for d in districts]
            charts.append({"title": "押金及预收费负债（元，当前）",
                           "svg": bars("押金及预收费负债（元，按区县）", series, " 元"),
                           "head": ["区县", "负债（元）"],
                           "table": [[d, f"{v:,}"] for d, v in series]})
            continue
        if metric in GAUGES:
            series = [(district_name(d), total(d)) for d in districts]
            charts.append({"title": titles[metric],
                           "svg": bars(f"{titles[metric]}（按区县）", series, " 家"),
                           "head": ["区县", "机构数"],
                           "table": [[d, str(v)] for d, v in series]})
            continue
        title = titles[metric]
        charts.append({"title": title,
                       "svg": bars(f"{title}（近 12 个月）",
                                   [(m[5:] + "月", total(month=m)) for m in months]),
                       "head": ["区县", *[m[2:] for m in months]],
                       "table": [[district_name(d), *[str(total(d, m)) for m in months]]
                                 for d in districts]})
    return render_template("dashboard.html", charts=charts, unavailable=None)


def _workflow(workflow_id: str) -> Workflow:
    found = BY_ID.get(workflow_id)
    if found is None:
        abort(404)
    return found


@bp.get("/do/<workflow_id>")
@signed_in
def form(workflow_id: str) -> str:
    w = _workflow(workflow_id)
    fields = forms.fields_of(w.service, w.method, w.path, FIELD_LABELS, w.order)
    values = {k: v for k, v in request.args.items() if k != "resume"}
    if w.checklist:
        values = {**_checklist_rows(), **values}
    resumed = _resumed(request.path)
    if resumed:
        return _render_form(w, fields, resumed, {}, "",
                            notice="已恢复您重新登录前填写的内容，请检查后提交。")
    return _render_form(w, fields, values, {}, "")


CHECKLIST = "/api/v1/checklist-templates/fire-default"


def _checklist_rows() -> dict[str, str]:
    """The current default fire checklist as the rows of an inspection's items (code filled
    in, title kept for the row's heading); none when the service does not answer."""
    answer = gateway().get("fire_safety", CHECKLIST, g.token)
    if not answer.ok or not isinstance(answer.body, dict):
        return {}
    versions = answer.body.get("versions") or []
    items = versions[-1].get("items", []) if versions else []
    out = {}
    for i, item in enumerate(items):
        out[f"items.{i}.item_code"] = str(item.get("code", ""))
        out[f"items.{i}.title"] = str(item.get("title", ""))
    return out


def _render_form(w: Workflow, fields: list[forms.Field], values: dict[str, str],
                 errors: dict[str, list[str]], detail: str, status: int = 200,
                 more: str = "", notice: str = "") -> Any:
    """The form with what was typed, the errors at their fields (the rest in the summary)
    and a fresh Idempotency-Key; ``more``: a group that gets one more empty row."""
    placed = forms.attach(errors, forms.names_of(fields, values) | {"upload"})
    rows = {f.name: forms.rows_in(values, f) + (f.name == more) for f in fields
            if f.kind == "group"}
    labels = {f.name: f.label for f in fields} | {
        f.cell(i, c): f"{f.label} 第 {i + 1} 行 {c.label}" for f in fields if f.kind == "group"
        for i in range(rows.get(f.name, 0)) for c in f.columns}
    body = render_template("form.html", w=w, fields=fields, values=values, errors=placed,
                           labels=labels,
                           other=placed.get("", []), detail=detail, rows=rows, notice=notice,
                           key=secrets.token_urlsafe(18))
    return Response(body, status=status, mimetype="text/html") if status != 200 else body


CONTROL = {"csrf", "key", "confirmed", "more"}
MAX_UPLOAD = 5 * 1024 * 1024


@bp.post("/do/<workflow_id>")
@signed_in
def submit(workflow_id: str) -> Any:
    _check_csrf()
    w = _workflow(workflow_id)
    fields = forms.fields_of(w.service, w.method, w.path, FIELD_LABELS, w.order)
    values = {k: v for k, v in request.form.items() if k not in CONTROL}
    key = request.form.get("key", "")
    if not key:
        abort(_message(400, "表单已失效", "请返回重新打开表单后提交。"))
    if request.form.get("more"):  # 增加一行: drawn again, nothing sent
        return _render_form(w, fields, values, {}, "", more=request.form["more"])
    body, params = forms.body_from(values, fields)
    missing = {p: ["必填"] for p, v in params.items() if not v}
    if missing:
        return _render_form(w, fields, values, missing, "请填写标记的项目", 422)
    if w.confirm and request.form.get("confirmed") != "yes":
        labels = {f.name: f.label for f in fields}
        shown = [(labels.get(k, k), v) for k, v in values.items() if v]
        return render_template("confirm.html", w=w, values=values, shown=shown, key=key)
    raw = None
    upload = request.files.get("upload") if w.upload else None
    if upload is not None and upload.filename:
        raw = (upload.read(MAX_UPLOAD + 1), w.upload)
        if len(raw[0]) > MAX_UPLOAD:
            return _render_form(w, fields, values, {"upload": ["文件过大（不超过 5 MB）"]},
                                "请按提示修改标记的项目", 422)
    path = w.url({k: quote(v, safe="") for k, v in params.items()})
    answer = gateway().call(w.service, w.method, path, g.token, body or None, key=key,
                            raw=raw)
    if answer.ok:
        return render_template("done.html", w=w, answer=answer, rows=_rows(answer.body),
                               uscc=params.get("uscc") or body.get("institution_uscc")
                               or (body.get("party") or {}).get("uscc"))
    return _render_form(w, fields, values, forms.field_errors(answer.errors),
                        _explain(answer), answer.status if answer.status >= 400 else 422)


def _explain(answer: Answer) -> str:
    if answer.status == 403:
        return f"无权办理：{answer.detail}"
    if answer.status == 404:
        return f"未找到：{answer.detail}"
    if answer.status == 409:
        return f"当前状态下不能办理：{answer.detail}"
    if answer.status == 422:
        return "请按提示修改标记的项目后再提交（未作任何记录）"
    return answer.detail or "提交未成功，请稍后再试（未作任何记录）"
