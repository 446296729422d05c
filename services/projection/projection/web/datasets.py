"""Open data for every public dataset: one registry, JSON (paged) and CSV (full download) for
each, a data dictionary page, and caching headers so mirrors can poll cheaply.

Every row carries the institution's USCC (``uscc``) where it is about one institution: the
stable identifier that joins the datasets. Rows hold exactly what the public pages show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.http import http_date, parse_date

from projection.web.open_data import csv_chunks
from shared.readside.asof import day_end as asof_day_end

Row = dict[str, Any]
Column = tuple[str, str, str]  # key, Chinese title, what it means


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], list[Row]]


def _db() -> Any:
    return current_app.extensions["projection.db"]()


def _penalties() -> list[Row]:
    from projection.features.credit import pages as credit

    return [{"penalty_id": p["_id"], **p} for p in credit.disclosed_penalties(
        _db(), credit._today())]


def _listings() -> list[Row]:
    from projection.features import active
    from projection.features.credit.projector import LISTINGS, PROJECTOR

    return sorted(active(_db(), PROJECTOR, LISTINGS).find({"status": "listed"}),
                  key=lambda r: (r.get("decided_on") or "", r.get("uscc") or ""))


def _results() -> list[Row]:
    from projection.features import active
    from projection.features.inspection.projector import PROJECTOR
    from projection.features.inspection.views import RESULTS

    found = [r for r in active(_db(), PROJECTOR, RESULTS).find({"status": "published"})]
    return [{**r, "targeted": bool(r.get("targeted")),
             "reasons": "、".join(r.get("reasons") or []),
             "departments": "、".join(r.get("departments") or [])}
            for r in sorted(found, key=lambda r: (r.get("published_on") or "", r["task_id"]))]


def _plans() -> list[Row]:
    from projection.features import active
    from projection.features.inspection.projector import PROJECTOR
    from projection.features.inspection.views import PLANS

    rows = []
    for p in active(_db(), PROJECTOR, PLANS).find({}):
        published, draw = p.get("published") or {}, p.get("draw") or {}
        attempts = (p.get("attempts") or {}).values()
        rows.append({
            "plan_id": p["_id"], "title": p.get("title"), "status": p.get("status"),
            "departments": "、".join(p.get("departments") or []),
            "districts": "、".join(p.get("districts") or []),
            "items": "、".join(p.get("items") or []),
            "created_on": p.get("created_on"), "published_on": published.get("published_on"),
            "commitment": published.get("commitment"),
            "snapshot_hash": published.get("snapshot_hash"),
            "objects": published.get("objects"), "drawn_on": draw.get("drawn_on"),
            "attempt": draw.get("attempt"), "seed": draw.get("seed"),
            "result_hash": draw.get("result_hash"),
            "drawn": "、".join(t["uscc"] for t in draw.get("tasks") or []),
            "failed_attempts": sum(1 for a in attempts if a.get("outcome") == "failed"),
            "voided_attempts": sum(1 for a in attempts if a.get("outcome") == "voided")})
    return sorted(rows, key=lambda r: r["plan_id"])


def _hazards() -> list[Row]:
    from projection.features.fire_safety import reads as fire

    rows = []
    for d in fire.inspections(_db()):
        for h in d["hazards"]:
            if h.get("level") != "major":
                continue
            rows.append({"hazard_id": h.get("hazard_id"), "uscc": d["institution_uscc"],
                         "institution_name": d["institution_name"],
                         "inspection_date": d["inspection_date"], "item": h.get("item_title"),
                         "status": h.get("status"),
                         "status_label": fire.STATUS_LABELS.get(h.get("status"), ""),
                         "deadline": h.get("deadline") or None,
                         "verified_on": h.get("verified_on") or None})
    return sorted(rows, key=lambda r: (r["inspection_date"] or "", r["hazard_id"] or ""))


def _escrow() -> list[Row]:
    from projection.features.escrow import pages as escrow

    return [escrow.public_row(v) for v in escrow._views()]


DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset("penalties", "行政处罚公示", "公示期内的行政处罚（仅警告的不公示；自然人当事人已脱敏）",
            (("penalty_id", "处罚编号", "平台内编号"), ("decision_no", "决定书文号", ""),
             ("uscc", "统一社会信用代码", "当事人为机构时"),
             ("party_name", "当事人", "自然人已脱敏"),
             ("violation_type", "违法类型", ""), ("sanctions_text", "处罚内容", ""),
             ("authority", "处罚机关", ""), ("decided_on", "决定日期", "年-月-日"),
             ("published_on", "公示日期", "年-月-日"), ("display_until", "公示截止", "年-月-日")),
            _penalties),
    Dataset("dishonesty", "严重失信主体名单", "当前列入严重失信名单的机构",
            (("uscc", "统一社会信用代码", ""), ("institution_name", "机构名称", ""),
             ("listing_id", "列入编号", ""), ("ground", "列入事由", ""),
             ("decision_no", "列入决定书文号", ""), ("decided_on", "列入日期", "年-月-日"),
             ("listed_until", "列入期限至", "年-月-日")),
            _listings),
    Dataset("inspection-results", "检查结果（双随机抽查与重点检查）",
            "已公示的随机抽查结果和风险预警引起的重点检查结果",
            (("task_id", "任务或检查编号", ""), ("plan_id", "抽查计划", "重点检查为空"),
             ("uscc", "统一社会信用代码", ""), ("departments", "检查部门", "、分隔"),
             ("targeted", "重点检查", "true：因风险预警开展，非随机抽取"),
             ("reasons", "重点检查原因", "、分隔"), ("inspected_on", "检查日期", "年-月-日"),
             ("problem_found", "发现问题", "true/false"), ("follow_up", "后续处理", ""),
             ("findings", "检查发现", ""), ("published_on", "公开日期", "年-月-日")),
            _results),
    Dataset("inspection-plans", "双随机抽查计划与抽取",
            "抽查计划、公布时的承诺值与名录快照哈希、抽取结果（种子、结果哈希、抽中机构）及"
            "未能完成和作废的抽取次数；可用 python -m inspection.verify 复算",
            (("plan_id", "计划编号", ""), ("title", "计划名称", ""),
             ("status", "状态", "draft / published / drawn"),
             ("departments", "部门", "、分隔"), ("districts", "区县", "、分隔；空为全部"),
             ("items", "抽查事项", "、分隔"), ("created_on", "制定日期", "年-月-日"),
             ("published_on", "公布日期", "年-月-日"),
             ("commitment", "秘密值承诺", "SHA-256，十六进制"),
             ("snapshot_hash", "名录快照哈希", "SHA-256，十六进制"),
             ("objects", "检查对象数", ""), ("drawn_on", "抽取日期", "年-月-日"),
             ("attempt", "第几次抽取", ""), ("seed", "种子", "十六进制"),
             ("result_hash", "结果哈希", "SHA-256，十六进制"),
             ("drawn", "抽中机构", "统一社会信用代码，、分隔"),
             ("failed_attempts", "未能完成的抽取次数", ""),
             ("voided_attempts", "作废的抽取次数", "")),
            _plans),
    Dataset("major-hazards", "重大火灾隐患挂牌督办",
            "经集体讨论或专家论证判定的重大火灾隐患，及其整改期限和复查确认",
            (("hazard_id", "隐患编号", ""), ("uscc", "统一社会信用代码", ""),
             ("institution_name", "机构名称", ""), ("inspection_date", "检查日期", "年-月-日"),
             ("item", "检查项目", ""), ("status", "状态", "open / ordered / overdue / verified"),
             ("status_label", "状态（中文）", ""), ("deadline", "整改期限", "年-月-日"),
             ("verified_on", "复查确认日期", "年-月-日；未整改为空")),
            _hazards),
    Dataset("escrow-compliance", "预收费资金监管合规情况",
            "是否开立监管专户、适用规则和是否合规（不含任何老人的金额）",
            (("uscc", "统一社会信用代码", ""), ("has_account", "已开立监管专户", "true/false"),
             ("bank", "开户银行", ""), ("jurisdiction", "适用地区", ""),
             ("status", "合规状态", "compliant / non_compliant / unknown / no_account"),
             ("status_label", "合规状态（中文）", "")),
            _escrow),
)}
# the datasets served by their own routes, listed on the same index
OTHERS = (("institutions", "养老机构备案名录", "open_data.institutions_json",
           "open_data.institutions_csv"),
          ("complaints", "投诉举报统计", "complaint_data.complaints_json",
           "complaint_data.complaints_csv"))

bp = Blueprint("datasets", __name__, url_prefix="/open-data")
VERSIONS = "open_data_versions"  # per URL: the ETag served and since when
PER_PAGE = 100


def _cell(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _table(d: Dataset) -> list[Row]:
    return [{k: _cell(r.get(k)) for k, _, _ in d.columns} for r in d.rows()]


def _last_modified(tag: str) -> datetime:
    """When this exact content (its ETag, per URL) was first served: kept in the database so
    every worker answers the same; a day looked at as of is as old as that day's end."""
    from projection.web.asof import requested

    day = requested()
    if day is not None:
        return asof_day_end(day)
    versions = _db()[VERSIONS]
    key = request.full_path
    now = datetime.now(UTC).replace(microsecond=0)
    found = versions.find_one({"_id": key})
    if found is not None and found.get("etag") == tag:
        return datetime.fromisoformat(found["since"])
    if found is not None:  # changed: strictly later than the date served before (seconds)
        now = max(now, datetime.fromisoformat(found["since"]) + timedelta(seconds=1))
    versions.replace_one({"_id": key}, {"_id": key, "etag": tag, "since": now.isoformat()},
                         upsert=True)
    return now


def _cached(body: bytes, mimetype: str, **headers: str) -> Response:
    """ETag of the content and Last-Modified (when that content was first served); 304 when
    the client already has it (If-None-Match first, else If-Modified-Since)."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    since = _last_modified(tag)
    validators = {"ETag": tag, "Last-Modified": http_date(since)}
    if tag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers=validators)
    asked = parse_date(request.headers.get("If-Modified-Since"))
    if "If-None-Match" not in request.headers and asked is not None and since <= asked:
        return Response(status=304, headers=validators)
    return Response(body, mimetype=mimetype, headers={
        **validators, "Cache-Control": "public, max-age=60", **headers})


@bp.get("/")
def index() -> str:
    """The data dictionary: every dataset, its fields and both formats."""
    return render_template("open_data_index.html", datasets=DATASETS.values(), others=OTHERS)


@bp.get("/<name>.json")
def as_json(name: str) -> Response:
    d = DATASETS.get(name) or abort(404)
    rows = _table(d)
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(PER_PAGE, max(1, int(request.args.get("per_page", PER_PAGE))))
    except ValueError:
        abort(422)
    body = {"dataset": d.name, "title": d.title, "total": len(rows), "page": page,
            "per_page": per_page, "items": rows[(page - 1) * per_page: page * per_page]}
    return _cached(json.dumps(body, ensure_ascii=False).encode(), "application/json")


@bp.get("/<name>.csv")
def as_csv(name: str) -> Response:
    d = DATASETS.get(name) or abort(404)
    columns = [(k, title) for k, title, _ in d.columns]
    body = b"".join(csv_chunks(_table(d), columns=columns))
    return _cached(body, "text/csv",
                   **{"Content-Disposition": f"attachment; filename={d.name}.csv"})
