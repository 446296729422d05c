"""What the platform's events say about an institution's risk, as signals.

A signal either happened on a day (a complaint, a penalty, a contract ending: counted within
a rule's window) or opened a condition that lasts until another event closes it (a major
hazard until verified, a shortfall until resolved, a listing until delisted). Only
categories, dates and ids: no complaint words, no resident, no amounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

HAPPENED, OPENED, CLOSED = "happened", "opened", "closed"


@dataclass(frozen=True)
class Signal:
    uscc: str
    kind: str
    ref: str  # the thing it is about: a complaint, a hazard, a shortfall ...
    on: date
    change: str  # happened | opened | closed


Data = dict[str, Any]
Mapper = Callable[[Data, date], list[Signal]]


def _d(data: Data, key: str, fallback: date) -> date:
    raw = data.get(key)
    return date.fromisoformat(str(raw)[:10]) if raw else fallback


def _complaint(d: Data, on: date) -> list[Signal]:
    uscc = d.get("institution_uscc") or ""
    if not uscc:
        return []  # an institution without a known USCC: no record to attach it to
    when = _d(d, "received_on", on)
    kinds = ["complaint", f"complaint:{d['category']}"]
    return [Signal(uscc, k, d["complaint_id"], when, HAPPENED) for k in kinds]


def _hazard(d: Data, on: date) -> list[Signal]:
    if d.get("level") != "major":
        return []
    return [Signal(d["institution_uscc"], "major_hazard", d["hazard_id"],
                   _d(d, "identified_on", on), OPENED)]


def _hazard_fixed(d: Data, on: date) -> list[Signal]:
    when = _d(d, "verified_on", on)
    return [Signal(d["institution_uscc"], k, d["hazard_id"], when, CLOSED)
            for k in ("major_hazard", "rectification_overdue")]


def _one(kind: str, uscc_key: str, ref_key: str, date_key: str, change: str) -> Mapper:
    def mapper(d: Data, on: date) -> list[Signal]:
        return [Signal(d[uscc_key], kind, str(d[ref_key]), _d(d, date_key, on), change)]
    return mapper


# (service, event name) -> mapper; everything else says nothing about risk
MAPPERS: dict[tuple[str, str], Mapper] = {
    ("complaints", "ComplaintReceived"): _complaint,
    ("fire_safety", "FireHazardIdentified"): _hazard,
    ("fire_safety", "MajorHazardDetermined"): _one(
        "major_hazard", "institution_uscc", "hazard_id", "determined_on", OPENED),
    ("fire_safety", "RectificationOverdue"): _one(
        "rectification_overdue", "institution_uscc", "hazard_id", "detected_on", OPENED),
    ("fire_safety", "RectificationVerified"): _hazard_fixed,
    ("escrow", "EscrowShortfallDetected"): _one(
        "deposit_shortfall", "institution_uscc", "shortfall_id", "detected_on", OPENED),
    ("escrow", "EscrowShortfallResolved"): _one(
        "deposit_shortfall", "institution_uscc", "shortfall_id", "resolved_on", CLOSED),
    ("escrow", "RefundOverdue"): _one(
        "refund_overdue", "institution_uscc", "contract_id", "detected_on", OPENED),
    ("escrow", "RefundIssued"): lambda d, on: [
        Signal(d["institution_uscc"], "refund_issued", str(d["reference"]),
               _d(d, "paid_on", on), HAPPENED),
        *([] if d.get("remaining_fen", 0) else [Signal(
            d["institution_uscc"], "refund_overdue", d["contract_id"], _d(d, "paid_on", on),
            CLOSED)])],
    ("escrow", "ContractEnded"): _one(
        "contract_ended", "institution_uscc", "contract_id", "ended_on", HAPPENED),
    ("escrow", "DepositRejected"): _one(
        "prepayment_over_cap", "institution_uscc", "receipt_no", "declared_on", HAPPENED),
    ("credit", "PenaltyPublished"): _one("penalty", "uscc", "penalty_id", "published_on",
                                         HAPPENED),
    ("credit", "SeriousDishonestyListed"): _one("listed", "uscc", "listing_id", "decided_on",
                                                OPENED),
    ("credit", "SeriousDishonestyDelisted"): _one("listed", "uscc", "listing_id",
                                                  "delisted_on", CLOSED),
    ("registry", "UnfiledOperationSuspected"): _one("unfiled", "uscc", "uscc", "detected_on",
                                                    OPENED),
    ("registry", "InstitutionFiled"): _one("unfiled", "uscc", "uscc", "filed_on", CLOSED),
}


def signals_of(service: str, name: str, data: Data, on: date) -> list[Signal]:
    """The signals one event gives (``on``: the day it was stored, for events without a
    date of their own)."""
    mapper = MAPPERS.get((service, name))
    return mapper(data, on) if mapper else []
