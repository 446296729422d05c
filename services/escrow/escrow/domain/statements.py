"""Custody bank statements (CSV or JSON): every line checked, a bad file applied not at all."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from escrow.domain.errors import StatementInvalid

FORMATS = ("csv", "json")
COLUMNS = ("bank_txn_id", "booked_on", "amount_fen")
_INT = re.compile(r"^[+-]?[0-9]{1,15}$")
MAX_TXN_ID = 64


@dataclass(frozen=True)
class Txn:
    """One bank transaction; credits positive, debits negative, integer fen."""

    line: int
    bank_txn_id: str
    booked_on: date
    amount_fen: int

    def to_data(self) -> dict[str, Any]:
        return {"bank_txn_id": self.bank_txn_id, "booked_on": self.booked_on.isoformat(),
                "amount_fen": self.amount_fen}


def statement_id(content: bytes) -> str:
    """The file's identity: SHA-256 of its bytes."""
    return hashlib.sha256(content).hexdigest()


def parse(content: str, fmt: str) -> list[Txn]:
    """All transactions, or StatementInvalid naming every bad line ("file" for the whole)."""
    rows = _csv_rows(content) if fmt == "csv" else _json_rows(content)
    txns: list[Txn] = []
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        problems, txn = _check_row(line, row, text_amounts=fmt == "csv")
        if txn is not None and txn.bank_txn_id in seen:
            problems.append(f"银行流水号 {txn.bank_txn_id} 与第 {seen[txn.bank_txn_id]} 行重复")
        if problems:
            errors[str(line)] = problems
        elif txn is not None:
            seen[txn.bank_txn_id] = line
            txns.append(txn)
    if errors:
        raise StatementInvalid(errors)
    if not txns:
        raise StatementInvalid({"file": ["对账单没有任何流水行"]})
    return txns


def _csv_rows(content: str) -> list[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    lines = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    if not lines:
        raise StatementInvalid({"file": ["对账单为空"]})
    _, header = lines[0]
    names = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise StatementInvalid({"1": [f"表头缺少列：{', '.join(missing)}"]})
    return [(n, dict(zip(names, (c.strip() for c in row), strict=False)) if len(row) ==
             len(names) else f"列数为 {len(row)}，表头为 {len(names)} 列") for n, row in lines[1:]]


def _json_rows(content: str) -> list[tuple[int, Any]]:
    try:
        doc = json.loads(content)
    except ValueError as exc:
        raise StatementInvalid({"file": [f"不是有效的 JSON：{exc}"]}) from None
    items = doc.get("transactions") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise StatementInvalid({"file": ["须为流水数组，或含 transactions 数组的对象"]})
    return list(enumerate(items, start=1))


def _check_row(line: int, row: Any, text_amounts: bool) -> tuple[list[str], Txn | None]:
    if isinstance(row, str):
        return [row], None
    if not isinstance(row, dict):
        return ["须为对象"], None
    problems: list[str] = []
    txn_id = row.get("bank_txn_id")
    if not isinstance(txn_id, str) or not txn_id.strip() or len(txn_id) > MAX_TXN_ID:
        problems.append(f"bank_txn_id 须为 1–{MAX_TXN_ID} 位非空文本")
    booked = _date(row.get("booked_on"))
    if booked is None:
        problems.append("booked_on 须为 YYYY-MM-DD 日期")
    amount = _fen(row.get("amount_fen"), text_amounts)
    if amount is None:
        problems.append("amount_fen 须为非零整数（分），不得含小数")
    if problems or booked is None or amount is None or not isinstance(txn_id, str):
        return problems, None
    return [], Txn(line, txn_id.strip(), booked, amount)


def _date(raw: Any) -> date | None:
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw.strip()) if len(raw.strip()) == 10 else None
    except ValueError:
        return None


def _fen(raw: Any, text_ok: bool) -> int | None:
    """Integer fen only: JSON integers or CSV digits; floats, '12.50', JSON strings, 0 refused."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif text_ok and isinstance(raw, str) and _INT.match(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value or None
