"""An institution's credit file and level (for departments)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from credit.api.common import ctx
from credit.api.schemas import CreditFileOutSchema
from credit.app.common import CREDIT_FILE, file_stream, load
from credit.domain.credit_file import assess
from credit.domain.errors import NotFound
from shared.http.auth import ROLES, roles_required
from shared.http.requests import path_uscc
from shared.http.schemas import problem_doc

blp = Blueprint("credit_files", __name__, url_prefix="/api/v1/credit-files",
                description="机构信用档案与信用等级")


@blp.route("/<uscc>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, CreditFileOutSchema)
@problem_doc(blp, 404, "该机构没有信用记录")
def get_one(uscc: str) -> dict[str, Any]:
    """Records, score and level of one institution as of today."""
    uscc, c = path_uscc(uscc), ctx()
    state, version = load(c, CREDIT_FILE, file_stream(uscc))
    if version == 0:
        raise NotFound(f"机构 {uscc} 没有信用记录")
    level, score = assess(state.records, c.today(), c.level_rules)
    rows = [{"record_id": rid, "category": r.category, "points": r.points,
             "occurred_on": r.occurred_on.isoformat(), "withdrawn": r.withdrawn}
            for rid, r in sorted(state.records.items(), key=lambda kv: kv[1].occurred_on)]
    return {"uscc": uscc, "version": version, "level": level, "score": score, "records": rows}
