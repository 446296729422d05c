"""Public compliance pages and the regulator view of the escrow read model (Chinese)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, current_app, render_template
from pymongo.collection import Collection

from projection.features import active
from projection.features.escrow.fold import compliance, overdue_refunds, policy_in_force
from projection.features.escrow.projector import INSTITUTIONS, POLICIES, PROJECTOR
from projection.web import asof
from projection.web.regulator_auth import (
    department_required,
    institutions_in_regions,
    require_institution_in_regions,
)
from shared.clock import CHINA_TZ

bp = Blueprint("escrow_pages", __name__, url_prefix="/escrow", template_folder="templates")
REGULATORS = ("civil_affairs", "finance", "market_supervision")
STATUS_LABELS = {"compliant": "合规", "non_compliant": "不合规", "unknown": "尚未对账",
                 "no_account": "未开立监管专户"}
BASE_LABELS = {"monthly_service_fee": "月服务费", "monthly_bed_fee": "月床位费"}


def _read(collection: str) -> Collection:
    return active(current_app.extensions["projection.db"](), PROJECTOR, collection)


def _today() -> Any:
    clock = current_app.extensions.get("escrow.clock")  # tests inject a fixed clock
    now = clock.now() if clock is not None else datetime.now(UTC)
    return asof.requested() or now.astimezone(CHINA_TZ).date()


def _views() -> list[dict[str, Any]]:
    return list(_read(INSTITUTIONS).find({}).sort("_id", 1))


def _view(uscc: str) -> dict[str, Any]:
    doc = _read(INSTITUTIONS).find_one({"_id": uscc})
    if doc is None:
        abort(404)
    return doc


def _policy(view: dict[str, Any]) -> dict[str, Any] | None:
    pview = _read(POLICIES).find_one({"_id": view.get("jurisdiction", "")})
    return policy_in_force(view, pview, _today())


def public_row(view: dict[str, Any]) -> dict[str, Any]:
    """What anyone may see: account yes/no, the policy, compliant or not. No amounts."""
    status = compliance(view, _today())
    return {"uscc": view["_id"], "has_account": view.get("account_status") == "open",
            "bank": view.get("bank", ""), "jurisdiction": view.get("jurisdiction", ""),
            "policy": _policy(view), "status": status, "status_label": STATUS_LABELS[status]}


def regulator_row(view: dict[str, Any]) -> dict[str, Any]:
    """Account-level figures for departments, plus the overdue refunds."""
    row = public_row(view)
    shortfall = max(0, int(view.get("required_fen", 0)) - int(view.get("balance_fen", 0)))
    return {**row, **{k: view.get(k) for k in (
        "account_masked", "custody_agreement_id", "opened_on", "closed_on", "balance_fen",
        "liabilities_fen", "reserve_fen", "required_fen", "reconciled_on", "contracts",
        "rejections", "open_shortfall", "shortfalls")},
        "shortfall_now_fen": shortfall, "overdue": overdue_refunds(view, _today())}


@bp.app_template_filter("yuan")
def yuan(fen: Any) -> str:
    """Integer fen as yuan text, computed on integers."""
    value = int(fen or 0)
    whole, cents = divmod(abs(value), 100)
    return f"{'-' if value < 0 else ''}{whole:,}.{cents:02d}"


@bp.route("/")
def public_index() -> str:
    """Every institution known to escrow supervision: account, policy, compliance."""
    rows = [public_row(v) for v in _views()]
    return render_template("escrow_public_index.html", rows=rows, bases=BASE_LABELS)


@bp.route("/<uscc>")
def public_detail(uscc: str) -> str:
    return render_template("escrow_public_detail.html", row=public_row(_view(uscc)),
                           bases=BASE_LABELS)


@bp.route("/regulator/")
@department_required(*REGULATORS)
def regulator_index() -> str:
    """Liabilities, balance, reserve, shortfalls and overdue refunds per institution."""
    rows = [regulator_row(v) for v in institutions_in_regions(_views(), lambda v: v["_id"])]
    return render_template("escrow_regulator_index.html", rows=rows)


@bp.route("/regulator/<uscc>")
@department_required(*REGULATORS)
def regulator_detail(uscc: str) -> str:
    require_institution_in_regions(uscc)
    return render_template("escrow_regulator_detail.html", row=regulator_row(_view(uscc)),
                           bases=BASE_LABELS)
