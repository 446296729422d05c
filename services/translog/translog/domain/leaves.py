"""What the log records: each public fact as a leaf holding a salted hash of its canonical
record. The record and its salt are served while the fact is public; when the law takes it
down (a withdrawn penalty, a corrected listing), they are no longer served, the leaf stays, and
the log stays consistent. Without the salt, nobody can test guesses against the hash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.tlog import canonical, leaf_data

__all__ = ["DISCLOSURES", "TAKEDOWNS", "canonical", "leaf_data", "record_of"]

Data = dict[str, Any]


def _same(d: Data) -> Data:
    return d


def _filing(d: Data) -> Data:
    """Only what the public directory shows: no contact person, phone or representative."""
    f = d.get("filing") or {}
    return {"uscc": d["uscc"], "receipt_no": d.get("receipt_no"), "filed_on": d.get("filed_on"),
            "filing": {k: f.get(k) for k in ("name", "district_code", "address",
                                             "operator_type", "beds", "nursing_beds")}}


def _without(*keys: str) -> Callable[[Data], Data]:
    return lambda d: {k: v for k, v in d.items() if k not in keys}


@dataclass(frozen=True)
class Disclosure:
    kind: str
    key: Callable[[Data], str]  # the public thing it is about (what a takedown names)
    label: str
    public: Callable[[Data], Data] = _same  # the event's fields that are public


DISCLOSURES: dict[tuple[str, str], Disclosure] = {
    ("registry", "InstitutionFiled"): Disclosure(
        "filing", lambda d: f"filing:{d['uscc']}", "养老机构备案", _filing),
    ("inspection", "SamplingPlanPublished"): Disclosure(
        "plan", lambda d: f"plan:{d['plan_id']}", "抽查计划公布（承诺值）"),
    ("inspection", "DrawCompleted"): Disclosure(
        "draw", lambda d: f"draw:{d['plan_id']}", "随机抽取结果"),
    ("inspection", "DrawAttemptFailed"): Disclosure(
        "draw_failed", lambda d: f"draw-closed:{d['plan_id']}:{d['attempt']}",
        "抽取尝试未能完成（原因）"),
    ("inspection", "DrawVoided"): Disclosure(
        "draw_voided", lambda d: f"draw-closed:{d['plan_id']}:{d['attempt']}",
        "抽取结果作废（原因）"),
    ("inspection", "InspectionResultPublished"): Disclosure(
        "inspection_result", lambda d: f"result:{d['task_id']}", "抽查结果公示"),
    ("inspection", "TargetedInspectionResultPublished"): Disclosure(
        "targeted_result", lambda d: f"result:{d['inspection_id']}", "重点检查结果公开"),
    ("fire_safety", "MajorHazardDetermined"): Disclosure(
        "major_hazard", lambda d: f"hazard:{d['hazard_id']}", "重大火灾隐患挂牌督办",
        _without("members", "agreeing")),
    ("fire_safety", "RectificationOverdue"): Disclosure(
        "hazard_overdue", lambda d: f"hazard-overdue:{d['hazard_id']}", "重大火灾隐患逾期未整改"),
    ("fire_safety", "RectificationVerified"): Disclosure(
        "hazard_verified", lambda d: f"hazard-verified:{d['hazard_id']}",
        "火灾隐患整改复查确认（摘牌）"),
    ("credit", "PenaltyPublished"): Disclosure(
        "penalty", lambda d: f"penalty:{d['penalty_id']}", "行政处罚公示"),
    ("credit", "PenaltyWithdrawn"): Disclosure(
        "penalty_withdrawal", lambda d: f"penalty-withdrawal:{d['penalty_id']}",
        "行政处罚公示撤下"),
    ("credit", "PenaltyDisplayEndedEarly"): Disclosure(
        "penalty_early_end", lambda d: f"penalty-early-end:{d['penalty_id']}",
        "行政处罚提前停止公示"),
    ("credit", "SeriousDishonestyListed"): Disclosure(
        "listing", lambda d: f"listing:{d['listing_id']}", "列入严重失信名单",
        _without("responsible_persons")),
    ("credit", "SeriousDishonestyDelisted"): Disclosure(
        "delisting", lambda d: f"delisting:{d['listing_id']}", "移出严重失信名单"),
    ("credit", "ListingCorrected"): Disclosure(
        "listing_correction", lambda d: f"listing-correction:{d['listing_id']}",
        "更正错误列入"),
}
# a disclosure that takes an earlier one off the pages: (service, event) -> the earlier key
TAKEDOWNS: dict[tuple[str, str], Callable[[Data], str]] = {
    ("credit", "PenaltyWithdrawn"): lambda d: f"penalty:{d['penalty_id']}",
    ("credit", "PenaltyDisplayEndedEarly"): lambda d: f"penalty:{d['penalty_id']}",
    ("credit", "ListingCorrected"): lambda d: f"listing:{d['listing_id']}",
}


def record_of(service: str, name: str, event_id: str, data: Data) -> Data:
    """The public record of one disclosure event: what was disclosed, about what, when."""
    d = DISCLOSURES[(service, name)]
    return {"kind": d.kind, "key": d.key(data), "source": f"{service}.{name}",
            "event_id": event_id, "data": d.public(data)}
