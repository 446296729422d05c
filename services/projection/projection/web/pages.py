"""Public HTML pages: the directory (/) and an institution's page (/institutions/<uscc>)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from projection.domain import labels
from projection.domain.directory import PER_PAGE, STATUS_CHOICES
from projection.web import reads, translog
from projection.web.errors import error_page, invalid_params
from projection.web.formatting import FILTERS
from projection.web.params import AsOfArgs, PageArgs, load_or_errors

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")
bp.add_app_template_filter(FILTERS["dash"], "dash")
bp.add_app_template_filter(FILTERS["cn_time"], "cn_time")
bp.add_app_template_filter(FILTERS["yes_no"], "yes_no")

CHOICES = {"districts": labels.DISTRICTS, "operator_types": labels.OPERATOR_TYPES,
           "statuses": STATUS_CHOICES}


@bp.get("/")
def index() -> Any:
    """养老机构公开名录."""
    args, errors = load_or_errors(PageArgs(), request.args.to_dict())
    if errors:
        return invalid_params(errors)
    args["per_page"] = PER_PAGE  # the page layout is fixed; open data lets clients choose
    result = reads.find_page(args)
    filters = {k: args[k] for k in ("q", "district", "operator_type", "status") if args.get(k)}
    return render_template("index.html", result=result, filters=filters, **CHOICES)


@bp.get("/institutions/<string:uscc>")
def detail(uscc: str) -> Any:
    """One institution, now or as of the end of a past day."""
    args, errors = load_or_errors(AsOfArgs(), request.args.to_dict())
    if errors:
        return invalid_params(errors)
    as_of = args.get("as_of")
    found = reads.find_institution(uscc, as_of)
    if found is None and as_of is not None and reads.find_institution(uscc) is not None:
        return error_page(404, "该日尚无记录", [f"该机构在 {as_of} 之前尚无公开记录。"])
    if found is None:
        return error_page(404, "未找到该机构", [f"没有统一社会信用代码为 {uscc} 的公开记录。"])
    leaf = translog.leaves([f"filing:{found['uscc']}"]).get(f"filing:{found['uscc']}") \
        if found.get("filed_on") else None
    return render_template("detail.html", inst=found, leaf=leaf)
