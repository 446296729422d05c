"""POST /api/v1/enterprise-registrations/batch: the market-supervision push."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from flask_smorest import Blueprint
from marshmallow import ValidationError

from registry.api.common import deps
from registry.api.schemas import (
    PUSH_OUTCOMES,
    BatchResultSchema,
    EnterpriseRecordSchema,
    RegistrationBatchSchema,
)
from registry.app.register_enterprise import push_registrations
from registry.domain.model import EnterpriseRecord
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.problems import Problem
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("registrations", __name__, url_prefix="/api/v1/enterprise-registrations",
                description="市场监管部门推送企业登记信息")

Loaded = list[tuple[int, EnterpriseRecord]]


def validate_records(raw: list[Any]) -> tuple[Loaded, dict[int, dict[str, Any]]]:
    """Load every record on its own: (index, record) for good ones, index -> errors else."""
    schema = EnterpriseRecordSchema()
    loaded: Loaded = []
    rejected: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(raw):
        try:
            loaded.append((index, schema.load(item)))
        except ValidationError as exc:
            messages = exc.messages
            rejected[index] = messages if isinstance(messages, dict) else {"_schema": messages}
    return loaded, rejected


def _rejected_row(index: int, item: Any, errors: dict[str, Any]) -> dict[str, Any]:
    uscc = item.get("uscc") if isinstance(item, dict) else None
    return {"index": index, "uscc": uscc if isinstance(uscc, str) else None,
            "outcome": "rejected", "errors": errors, "version": None}

PUSH_SCOPE = "registrations:push"  # the market-supervision push client's only scope


@blp.route("/batch", methods=["POST"])
@roles_required("market_supervision", scope=PUSH_SCOPE)
@blp.arguments(RegistrationBatchSchema)
@blp.response(200, BatchResultSchema, description="每条记录的处理结果")
@problem_doc(blp, 422, "格式错误、记录数不在 1–1000，或全部被拒（errors 以序号为键）")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def push_batch(body: dict[str, Any]) -> dict[str, Any]:
    """Receive a batch of enterprise registrations (企业登记信息推送)."""
    raw = body["records"]
    loaded, rejected = validate_records(raw)
    if not loaded:
        raise Problem(422, "Unprocessable Entity", "全部记录均未通过校验",
                      errors={str(i): errs for i, errs in rejected.items()})
    d = deps()
    pushed = push_registrations(loaded, store=d.store, clock=d.clock, meta=commit_meta())
    rows = [dataclasses.asdict(r) for r in pushed]
    rows += [_rejected_row(i, raw[i], errs) for i, errs in rejected.items()]
    rows.sort(key=lambda row: row["index"])
    counts = Counter(row["outcome"] for row in rows)
    return {"results": rows, "summary": {k: counts.get(k, 0) for k in PUSH_OUTCOMES}}
