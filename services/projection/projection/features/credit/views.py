"""Pure mapping of credit events to read-model fields, and the Chinese labels pages show."""

from __future__ import annotations

from typing import Any

SANCTIONS = {"warning": "警告", "public_criticism": "通报批评", "fine": "罚款",
             "confiscation": "没收违法所得、非法财物", "suspension": "责令停产停业",
             "licence_revocation": "吊销许可证件", "employment_ban": "从业禁止"}
GROUNDS = {
    "outside_charter_scope": "超出章程规定的宗旨和业务范围开展活动",
    "harm_to_elders": "在养老服务中侵害老年人合法权益",
    "fraud_or_illegal_fundraising": "以养老服务为名非法集资、欺诈老年人",
    "major_fire_hazard_overdue": "存在重大火灾隐患，逾期不整改",
    "safety_accident": "对安全责任事故负主要或直接责任",
    "subsidy_fraud": "骗取、冒领补贴资金",
    "obstructing_inspection": "拒绝、阻碍监督检查或弄虚作假",
    "no_annual_report_or_disclosure": "未按规定报送年度报告或公开信息",
    "dishonest_debtor": "被人民法院列为失信被执行人",
    "other_serious_violation": "其他严重违法违规行为",
}
# Violation types are free codes chosen by the deciding department; known ones get a label.
VIOLATION_TYPES = {
    "fire_safety": "消防安全", "prepaid_funds": "预收费与押金管理",
    "service_quality": "服务质量与安全", "fee_disclosure": "收费公示",
    "food_safety": "食品安全", "unfiled_operation": "未备案经营", "elder_abuse": "侵害老年人权益",
    "subsidy_fraud": "骗取补贴", "illegal_fundraising": "非法集资", "qualification": "资质与人员",
    "information_disclosure": "信息公开", "obstruction": "妨碍监督检查",
}

DEPARTMENTS = {"civil_affairs": "民政", "market_supervision": "市场监管", "fire_rescue": "消防救援",
               "health": "卫生健康", "emergency": "应急管理", "public_security": "公安",
               "finance": "财政/金融"}
STATUSES = {"proposed": "已提议，待决定", "rejected": "不予列入", "listed": "名单中",
            "delisted": "已移出", "corrected": "列入有误，已更正"}
DELIST_REASONS = {"expired": "期满自动移出", "removal_on_application": "依申请移出",
                  "credit_repair": "信用修复"}


def _yuan(fen: int | None) -> str:
    return f"{(fen or 0) / 100:,.2f} 元"


def sanction_text(s: dict[str, Any]) -> str:
    """罚款 5,000.00 元 / 从业禁止 60 个月 / 警告."""
    label = SANCTIONS.get(s["kind"], s["kind"])
    if s.get("amount_fen"):
        return f"{label} {_yuan(s['amount_fen'])}"
    if s.get("months"):
        return f"{label} {s['months']} 个月"
    return label


def _penalty_decided(d: dict[str, Any]) -> dict[str, Any]:
    party = d["party"]
    return {"penalty_id": d["penalty_id"], "decision_no": d["decision_no"],
            "party_kind": party["kind"], "party_name": party["name"], "uscc": party["uscc"],
            "id_masked": party["id_masked"], "violation_type": d["violation_type"],
            "violation_label": VIOLATION_TYPES.get(d["violation_type"], d["violation_type"]),
            "legal_basis": d["legal_basis"],
            "sanctions_text": "；".join(sanction_text(s) for s in d["sanctions"]),
            "authority": d["authority"], "district_code": d["district_code"],
            "decided_on": d["decided_on"], "summary": d["summary"],
            "publish_required": int(d["publish_required"]), "publish_due_by": d["publish_due_by"],
            "display_rule": d["display_rule"], "heavy": int(d["heavy"]), "published_on": None,
            "display_until": None, "withdrawn_on": None, "ended_early_on": None, "overdue": 0}


def _persons(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Masked name, masked ID and role only; the hash stays out of the read model."""
    return [{"name_masked": p["name_masked"], "id_masked": p["id_masked"], "role": p["role"]}
            for p in d["responsible_persons"]]


def _proposed(d: dict[str, Any]) -> dict[str, Any]:
    return {"uscc": d["uscc"], "listing_id": d["listing_id"], "status": "proposed",
            "institution_name": d["institution_name"], "ground": d["ground"],
            "ground_detail": d["ground_detail"], "persons": _persons(d),
            "proposed_on": d["proposed_on"], "proposed_by": d["proposed_by"],
            "auto": int(d["auto"]), "decision_no": None, "decided_on": None,
            "listed_until": None, "delisted_on": None, "delist_reason": None}


def _listed(d: dict[str, Any]) -> dict[str, Any]:
    return {"status": "listed", "decision_no": d["decision_no"], "decided_on": d["decided_on"],
            "listed_until": d["listed_until"], "removal_allowed_from": d["removal_allowed_from"],
            "persons": _persons(d)}


_FIELDS = {
    "PenaltyDecided": _penalty_decided,
    "PenaltyPublished": lambda d: {"published_on": d["published_on"], "late": int(d["late"]),
                                   "display_until": d["display_until"]},
    "PenaltyDisclosureOverdue": lambda d: {"overdue": 1},
    "PenaltyWithdrawn": lambda d: {"withdrawn_on": d["withdrawn_on"],
                                   "withdraw_reason": d["reason"]},
    "PenaltyDisplayEndedEarly": lambda d: {"ended_early_on": d["ended_on"]},
    "SeriousDishonestyProposed": _proposed,
    "SeriousDishonestyProposalRejected": lambda d: {"status": "rejected",
                                                    "decided_on": d["decided_on"]},
    "SeriousDishonestyListed": _listed,
    "SeriousDishonestyDelisted": lambda d: {"status": "delisted", "delisted_on": d["delisted_on"],
                                            "delist_reason": d["reason"]},
    # A wrong listing leaves every public page (they show status "listed" only).
    "ListingCorrected": lambda d: {"status": "corrected", "corrected_on": d["corrected_on"],
                                   "correction_decision_no": d["decision_no"]},
    "CreditLevelChanged": lambda d: {"level": d["level"], "previous_level": d["previous_level"],
                                     "score": d["score"], "as_of": d["as_of"]},
}


def fields_for(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Fields of the stream's document an event sets ({} when it only advances the version)."""
    make = _FIELDS.get(name)
    return make(data) if make else {}


_MEASURE = {
    "JointMeasureIssued": lambda d: {
        "uscc": d["uscc"], "listing_id": d["listing_id"], "department": d["department"],
        "measure_code": d["measure_code"], "measure_text": d["measure_text"],
        "issued_on": d["issued_on"], "due_by": d["due_by"], "executed_on": None, "late": 0,
        "note": "", "overdue": 0, "lifted_on": None},
    "JointMeasureExecuted": lambda d: {"executed_on": d["executed_on"], "late": int(d["late"]),
                                       "note": d["note"]},
    "JointMeasureOverdue": lambda d: {"overdue": 1},
    "JointMeasureLifted": lambda d: {"lifted_on": d["lifted_on"]},
}


def measure_fields(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    make = _MEASURE.get(name)
    return make(data) if make else None


def on_display(p: dict[str, Any], today: str) -> bool:
    """Published, not withdrawn or ended early, and within its display period."""
    return bool(p.get("published_on") and p.get("display_until") and not p.get("withdrawn_on")
                and not p.get("ended_early_on") and today <= p["display_until"])


def measure_state(m: dict[str, Any], today: str) -> str:
    """executed / lifted / overdue / pending (overdue also when the scheduler has not run)."""
    if m.get("executed_on"):
        return "executed"
    if m.get("lifted_on"):
        return "lifted"
    if m.get("overdue") or today > m["due_by"]:
        return "overdue"
    return "pending"
