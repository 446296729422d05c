"""Unfiled-operation leads (疑似未备案经营线索) for civil affairs, folded from registry events.

A lead is a suspicion the registry's scheduled check raised (UnfiledOperationSuspected): an
enterprise active with 养老服务 in its scope and without a valid filing past the grace period.
It is for civil affairs to verify, not a public finding, so only the department page shows it
(web/leads.py); the public view ignores these events (institution.LEAD_EVENTS).

A lead stays open until the institution files, the enterprise stops being active or
养老服务 leaves its scope: the same facts that end the registry's unfiled episode.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from projection.domain import labels
from projection.domain.events import Event

Lead = dict[str, Any]

BASIS: dict[str, str] = {
    "never_filed": "从未备案",
    "filing_cancelled": "备案已注销，仍存续且经营范围含养老服务",
}
CLOSED_BECAUSE: dict[str, str] = {
    "filed": "已备案",
    "enterprise_inactive": "企业已不在存续状态",
    "scope_removed": "经营范围已不含养老服务",
}


def fold_leads(events: Iterable[Event]) -> list[Lead]:
    """Every lead of one institution, oldest first; each redelivered version counts once."""
    leads: list[Lead] = []
    seen, record, cancelled = 0, None, None
    for event in sorted(events, key=lambda e: e.version):
        if event.version <= seen:
            continue
        seen, data = event.version, event.data
        open_lead = leads[-1] if leads and leads[-1]["status"] == "open" else None
        if event.name in ("EnterpriseRegistrationReceived", "EnterpriseRegistrationChanged"):
            record = data["record"]
            if record["status"] != "active":
                _close(open_lead, "enterprise_inactive", data["received_on"])
            elif not data["elderly_care_scope"]:
                _close(open_lead, "scope_removed", data["received_on"])
        elif event.name == "InstitutionFiled":
            cancelled = None
            _close(open_lead, "filed", data["filed_on"])
        elif event.name == "InstitutionCancelled":
            cancelled = data
        elif event.name == "UnfiledOperationSuspected":
            _close(open_lead, None, None)  # the registry never flags twice; be safe anyway
            leads.append(_lead(data, record, cancelled))
    return leads


def _lead(data: dict[str, Any], record: dict[str, Any] | None,
          cancelled: dict[str, Any] | None) -> Lead:
    basis = data.get("basis", "never_filed")  # events stored before basis existed
    return {
        "uscc": data["uscc"], "name": data["name"], "district_code": data["district_code"],
        "district_name": labels.district_name(data["district_code"]),
        "registered_address": record["address"] if record else None,
        "business_scope": record["business_scope"] if record else None,
        "basis": basis, "basis_label": BASIS.get(basis, basis),
        "since": data.get("since", data["received_on"]), "deadline": data["deadline"],
        "grace_workdays": data["grace_workdays"], "detected_on": data["detected_on"],
        "cancelled_receipt_no": cancelled["receipt_no"] if cancelled else None,
        "cancelled_on": cancelled["cancelled_on"] if cancelled else None,
        "cancel_reason": cancelled["reason"] if cancelled else None,
        "status": "open", "closed_on": None, "closed_because": None,
        "closed_because_label": None,
    }


def _close(lead: Lead | None, because: str | None, on: str | None) -> None:
    if lead is None:
        return
    lead.update(status="closed", closed_on=on, closed_because=because,
                closed_because_label=CLOSED_BECAUSE.get(because or "", "已重新标记"))


def split(leads: Iterable[Lead]) -> tuple[list[Lead], list[Lead]]:
    """(open leads, longest unfiled first; closed leads, most recently closed first)."""
    everything = list(leads)
    open_ = sorted((x for x in everything if x["status"] == "open"),
                   key=lambda x: (x["since"], x["uscc"]))
    closed = sorted((x for x in everything if x["status"] == "closed"),
                    key=lambda x: (x["closed_on"] or "", x["uscc"]), reverse=True)
    return open_, closed
