"""Open data: the directory as paged JSON and as one CSV file (UTF-8 with BOM for Excel)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response
from flask_smorest import Blueprint

from projection.domain.csvline import CSV_COLUMNS, header, line
from projection.web import reads
from projection.web.params import FilterArgs, PageArgs, directory_query
from projection.web.schemas import InstitutionPageSchema

blp = Blueprint("open_data", __name__, url_prefix="/open-data",
                description="开放数据：养老机构备案公开名录（JSON、CSV）")

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
    query = directory_query(args)
    kept = reads.directory().csv_lines(query)
    if kept is not None:  # the stored lines, in directory order
        body: Iterator[bytes] = _chunks(header(), kept, CHUNK_ROWS)
    else:
        columns = [key for key, _ in CSV_COLUMNS]  # read in batches as the body is sent
        body = csv_chunks(reads.directory().all(query, columns))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=institutions.csv"})


def csv_chunks(rows: Iterable[dict[str, Any]], chunk_rows: int = CHUNK_ROWS,
               columns: Iterable[tuple[str, str]] = CSV_COLUMNS) -> Iterator[bytes]:
    """CSV bytes with a BOM, ``chunk_rows`` rows a chunk: the whole file never sits in
    memory. ``columns``: (key, Chinese title) pairs."""
    columns = list(columns)
    return _chunks(header(columns), (line(row, columns) for row in rows), chunk_rows)


def _chunks(first: str, lines: Iterable[str], chunk_rows: int) -> Iterator[bytes]:
    """``first`` and then ``lines``, encoded, ``chunk_rows`` lines a chunk."""
    part = [first]
    for n, text in enumerate(lines, 1):
        part.append(text)
        if n % chunk_rows == 0:
            yield "".join(part).encode("utf-8")
            part = []
    yield "".join(part).encode("utf-8")


def to_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """The whole CSV file at once."""
    return b"".join(csv_chunks(rows))

