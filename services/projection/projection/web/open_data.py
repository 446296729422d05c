"""Open data: the directory as paged JSON and as one CSV file (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response
from flask_smorest import Blueprint

from projection.web import reads
from projection.web.params import FilterArgs, PageArgs, directory_query
from projection.web.schemas import InstitutionPageSchema

blp = Blueprint("open_data", __name__, url_prefix="/open-data",
                description="开放数据：养老机构备案公开名录（JSON、CSV）")

CSV_COLUMNS: list[tuple[str, str]] = [
    ("uscc", "统一社会信用代码"), ("name", "机构名称"), ("district_name", "所在区县"),
    ("address", "地址"), ("operator_type_label", "经营性质"), ("beds", "床位数"),
    ("nursing_beds", "护理型床位数"), ("legal_representative", "法定代表人"),
    ("contact_phone", "联系电话（脱敏）"), ("filing_status_label", "备案状态"),
    ("receipt_no", "备案回执号"), ("filed_on", "备案日期"), ("cancelled_on", "注销备案日期"),
]
FORMULA_STARTS = ("=", "+", "-", "@")
CHUNK_ROWS = 500
CSV_DOC = {"200": {"description": "全部符合条件的机构（UTF-8 带 BOM，中文表头）",
                   "content": {"text/csv": {"schema": {"type": "string"}}}}}


@blp.route("/institutions.json")
@blp.arguments(PageArgs, location="query")
@blp.response(200, InstitutionPageSchema)
def institutions_json(args: dict[str, Any]) -> dict[str, Any]:
    """养老机构名录（JSON，分页，含总数）"""
    return reads.find_page(args)


@blp.route("/institutions.csv")
@blp.arguments(FilterArgs, location="query")
@blp.doc(responses=CSV_DOC)
def institutions_csv(args: dict[str, Any]) -> Response:
    """养老机构名录（CSV，全部符合条件的记录）"""
    columns = [key for key, _ in CSV_COLUMNS]  # read in batches as the body is sent
    rows = reads.directory().all(directory_query(args), columns)
    return Response(csv_chunks(rows), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=institutions.csv"})


def csv_chunks(rows: Iterable[dict[str, Any]], chunk_rows: int = CHUNK_ROWS,
               columns: Iterable[tuple[str, str]] = CSV_COLUMNS) -> Iterator[bytes]:
    """CSV bytes with a BOM so spreadsheet programs detect UTF-8, ``chunk_rows`` rows a
    chunk: the whole file never sits in memory. ``columns``: (key, Chinese title) pairs."""
    columns = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([title for _, title in columns])
    for n, row in enumerate(rows, 1):
        writer.writerow([cell(row.get(key)) for key, _ in columns])
        if n % chunk_rows == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def to_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """The whole CSV file at once."""
    return b"".join(csv_chunks(rows))


def cell(value: Any) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text
