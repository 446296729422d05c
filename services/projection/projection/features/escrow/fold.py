"""Pure fold of escrow events into per-institution and per-jurisdiction views (plain dicts).

Only account-level figures are kept for display; individual amounts appear only in the
overdue-refund list of the regulator view, under the resident's pseudonymous id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

View = dict[str, Any]
TOTALS = ("balance_fen", "liabilities_fen", "reserve_fen", "required_fen")


def blank_institution(uscc: str) -> View:
    return {"uscc": uscc, "account_status": "none", "jurisdiction": "", "bank": "",
            "account_masked": "", "custody_agreement_id": "", "opened_on": "", "closed_on": "",
            "policy_at_open": None, **{k: 0 for k in TOTALS}, "reconciled_on": "",
            "contracts": 0, "rejections": 0, "open_shortfall": None, "shortfalls": [],
            "refunds": {}}


def blank_policy(jurisdiction: str) -> View:
    return {"jurisdiction": jurisdiction, "versions": []}


def _totals(view: View, d: dict[str, Any]) -> View:
    return {**view, **{k: d["totals"][k] for k in TOTALS}} if "totals" in d else view


def _opened(v: View, d: dict[str, Any]) -> View:
    keep = ("jurisdiction", "bank", "account_masked", "custody_agreement_id", "opened_on")
    return {**v, **{k: d[k] for k in keep}, "account_status": "open", "closed_on": "",
            "policy_at_open": {**d["policy"], "terms": d["terms"]}}


def _closed(v: View, d: dict[str, Any]) -> View:
    return {**v, "account_status": "closed", "closed_on": d["closed_on"]}


def _registered(v: View, d: dict[str, Any]) -> View:
    return {**v, "contracts": v["contracts"] + 1}


def _rejected(v: View, d: dict[str, Any]) -> View:
    return {**v, "rejections": v["rejections"] + 1}


def _ended(v: View, d: dict[str, Any]) -> View:
    entry = {"resident_ref": d["resident_ref"], "remaining_fen": d["refund_due_fen"],
             "due_by": d["refund_due_by"], "flagged_on": ""}
    return {**v, "refunds": {**v["refunds"], d["contract_id"]: entry}}


def _refunded(v: View, d: dict[str, Any]) -> View:
    entry = {**v["refunds"][d["contract_id"]], "remaining_fen": d["remaining_fen"]}
    return {**v, "refunds": {**v["refunds"], d["contract_id"]: entry}}


def _overdue(v: View, d: dict[str, Any]) -> View:
    entry = {**v["refunds"][d["contract_id"]], "flagged_on": d["detected_on"]}
    return {**v, "refunds": {**v["refunds"], d["contract_id"]: entry}}


def _imported(v: View, d: dict[str, Any]) -> View:
    return {**v, "reconciled_on": d["imported_on"]}


def _shortfall(v: View, d: dict[str, Any]) -> View:
    sf = {"shortfall_id": d["shortfall_id"], "shortfall_fen": d["shortfall_fen"],
          "detected_on": d["detected_on"], "resolved_on": "", "resolution": ""}
    return {**v, "open_shortfall": sf, "shortfalls": [*v["shortfalls"], sf],
            "reconciled_on": d["detected_on"]}


def _resolved(v: View, d: dict[str, Any]) -> View:
    done = {"resolved_on": d["resolved_on"], "resolution": d["resolution"]}
    history = [{**s, **done} if s["shortfall_id"] == d["shortfall_id"] else s
               for s in v["shortfalls"]]
    return {**v, "open_shortfall": None, "shortfalls": history, "reconciled_on": d["resolved_on"]}


_INSTITUTION: dict[str, Callable[[View, dict[str, Any]], View]] = {
    "EscrowAccountOpened": _opened, "EscrowAccountClosed": _closed,
    "ResidentContractRegistered": _registered, "DepositRejected": _rejected,
    "ContractEnded": _ended, "RefundIssued": _refunded, "RefundOverdue": _overdue,
    "BankStatementImported": _imported, "EscrowShortfallDetected": _shortfall,
    "EscrowShortfallResolved": _resolved,
}


def evolve_institution(view: View, name: str, data: dict[str, Any]) -> View:
    """Apply one event of stream escrow-<USCC>; every money event carries the totals after."""
    apply = _INSTITUTION.get(name)
    return _totals(apply(view, data) if apply else view, data)


def evolve_policy(view: View, name: str, data: dict[str, Any]) -> View:
    """Apply one event of stream policy-<jurisdiction>."""
    if name != "EscrowPolicyPublished":
        return view
    entry = {"version": data["version"], "effective_from": data["effective_from"],
             "terms": data["terms"]}
    return {**view, "versions": [*view["versions"], entry]}


def policy_in_force(view: View, policy_view: View | None, today: date) -> dict[str, Any] | None:
    """The jurisdiction's latest published version in force today, else the one at opening."""
    published = [p for p in (policy_view or {}).get("versions", [])
                 if p["effective_from"] <= today.isoformat()]
    if published:
        latest = max(published, key=lambda p: (p["effective_from"], p["version"]))
        return {"jurisdiction": view["jurisdiction"], **latest}
    return view.get("policy_at_open")


def overdue_refunds(view: View, today: date) -> list[dict[str, Any]]:
    """Refunds past their deadline with money still due (flagged or not yet checked)."""
    return [{"contract_id": cid, **r} for cid, r in sorted(view.get("refunds", {}).items())
            if r["remaining_fen"] > 0 and (r["flagged_on"] or r["due_by"] < today.isoformat())]


def compliance(view: View, today: date) -> str:
    """no_account, unknown (never reconciled), non_compliant or compliant."""
    if view.get("account_status") != "open":
        return "no_account"
    if view.get("open_shortfall") or overdue_refunds(view, today):
        return "non_compliant"
    if not view.get("reconciled_on"):
        return "unknown"
    return "compliant"
