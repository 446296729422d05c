"""Complaint statistics from the counters (projector.py): counts by month, district and
category, outcomes and handling time in working days. Never a complaint's content. Served as
open data (JSON, CSV) and on the statistics page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from pymongo.database import Database

from projection.features import active
from projection.features.complaints.projector import COUNTS, PROJECTOR, SEP
from projection.web.open_data import csv_chunks
from shared.divisions import district_name

blp = Blueprint("complaint_data", __name__, url_prefix="/open-data",
                description="开放数据：投诉举报统计（按月份、区县、类别；不含投诉内容）")
COLUMNS = (("month", "月份"), ("district", "区县代码"), ("district_name", "区县"),
           ("category", "类别代码"), ("received", "收到件数"), ("closed", "办结件数"),
           ("replied", "答复办结"), ("refused", "不予受理"), ("merged", "合并办理"),
           ("overdue", "超期件数"), ("median_workdays", "办结用时中位数（工作日）"),
           ("mean_workdays", "办结平均用时（工作日）"))


def _median(hist: dict[int, int]) -> float | None:
    total = sum(hist.values())
    if not total:
        return None
    ordered = sorted(hist.items())

    def nth(k: int) -> int:
        seen = 0
        for days, n in ordered:
            seen += n
            if seen > k:
                return days
        return ordered[-1][0]

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def rows(db: Database) -> list[dict[str, Any]]:
    """One row per month, district and category that has a complaint, newest month first."""
    cells: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(
        lambda: {"received": 0, "closed": 0, "replied": 0, "refused": 0, "merged": 0,
                 "overdue": 0, "hist": {}})
    for doc in active(db, PROJECTOR, COUNTS).find({}):
        kind, month, district, category = str(doc["_id"]).split(SEP)
        n = int(doc.get("n", 0))
        if n <= 0:
            continue
        row = cells[(month, district, category)]
        if kind.startswith("days:"):
            row["hist"][int(kind.split(":", 1)[1])] = n
        elif kind.startswith("outcome:"):
            outcome = kind.split(":", 1)[1]
            if outcome in row:
                row[outcome] += n
        elif kind in row:
            row[kind] += n
    out = []
    for (month, district, category), row in cells.items():
        hist = row.pop("hist")
        total = sum(hist.values())
        out.append({"month": month, "district": district,
                    "district_name": district_name(district), "category": category, **row,
                    "median_workdays": _median(hist),
                    "mean_workdays": round(sum(d * n for d, n in hist.items()) / total, 1)
                    if total else None})
    out.sort(key=lambda r: (-int(r["month"].replace("-", "")), r["district"], r["category"]))
    return out


def summary(db: Database) -> dict[str, Any]:
    """The rows, and totals by category and by district, for the page."""
    found = rows(db)
    by_category: dict[str, int] = defaultdict(int)
    by_district: dict[str, int] = defaultdict(int)
    for r in found:
        by_category[r["category"]] += r["received"]
        by_district[r["district_name"]] += r["received"]
    return {"rows": found, "by_category": dict(by_category), "by_district": dict(by_district),
            "received": sum(r["received"] for r in found),
            "closed": sum(r["closed"] for r in found)}


class StatRowSchema(Schema):
    month = fields.String()
    district = fields.String()
    district_name = fields.String()
    category = fields.String()
    received = fields.Integer()
    closed = fields.Integer()
    replied = fields.Integer()
    refused = fields.Integer()
    merged = fields.Integer()
    overdue = fields.Integer()
    median_workdays = fields.Float(allow_none=True)
    mean_workdays = fields.Float(allow_none=True)


class StatsSchema(Schema):
    rows = fields.List(fields.Nested(StatRowSchema))


def _db() -> Database:
    return current_app.extensions["projection.db"]()  # type: ignore[no-any-return]


@blp.route("/complaints.json")
@blp.response(200, StatsSchema)
def complaints_json() -> dict[str, Any]:
    """投诉举报统计（JSON）：按月份、区县、类别的件数与办结用时，不含投诉内容"""
    return {"rows": rows(_db())}


@blp.route("/complaints.csv")
@blp.doc(responses={"200": {"description": "投诉举报统计（UTF-8 带 BOM，中文表头）",
                            "content": {"text/csv": {"schema": {"type": "string"}}}}})
def complaints_csv() -> Response:
    """投诉举报统计（CSV）"""
    return Response(csv_chunks(rows(_db()), columns=COLUMNS), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=complaints.csv"})
