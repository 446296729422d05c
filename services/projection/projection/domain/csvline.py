"""The directory's CSV download: columns, cells and lines (UTF-8, Chinese titles).

Each institution's line is kept beside its document (the projection's rows collection), so a
full download streams stored lines in directory order instead of formatting every row per
request; the bytes are the same either way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

CSV_COLUMNS: list[tuple[str, str]] = [
    ("uscc", "统一社会信用代码"), ("name", "机构名称"), ("district_name", "所在区县"),
    ("address", "地址"), ("operator_type_label", "经营性质"), ("beds", "床位数"),
    ("nursing_beds", "护理型床位数"), ("legal_representative", "法定代表人"),
    ("contact_phone", "联系电话（脱敏）"), ("filing_status_label", "备案状态"),
    ("receipt_no", "备案回执号"), ("filed_on", "备案日期"), ("cancelled_on", "注销备案日期"),
]
FORMULA_STARTS = ("=", "+", "-", "@")
BOM = "\ufeff"  # so spreadsheet programs detect UTF-8


def cell(value: Any) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def joined(values: Iterable[str]) -> str:
    """One CSV line (quoted as needed, CRLF-terminated)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(list(values))
    return out.getvalue()


def header(columns: Iterable[tuple[str, str]] = CSV_COLUMNS) -> str:
    """The first line: the columns' Chinese titles, after the BOM."""
    return BOM + joined(title for _, title in columns)


def line(row: Mapping[str, Any], columns: Iterable[tuple[str, str]] = CSV_COLUMNS) -> str:
    """The line of one row."""
    return joined(cell(row.get(key)) for key, _ in columns)
