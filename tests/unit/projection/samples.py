"""Registry event data that matches contracts/events/registry (shared by unit and integration)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from projection.domain.events import Event
from stdnum.cn import uscc as uscc_check

CHINA = timezone(timedelta(hours=8))


def uscc(n: int, region: str = "500103") -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check digit) numbered ``n``."""
    base = f"52{region}MJ{n:07d}"
    return base + uscc_check.calc_check_digit(base)


def at(day: str, hour: int = 10) -> datetime:
    """A Beijing-time moment on ``day`` (YYYY-MM-DD)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=CHINA)


def filing(**over: Any) -> dict[str, Any]:
    data = {
        "name": "重庆市渝中区幸福养老院", "address": "重庆市渝中区解放碑路 1 号",
        "district_code": "500103", "legal_representative": "王建国",
        "operator_type": "private_nonprofit", "premises_ownership": "leased", "beds": 120,
        "nursing_beds": 60, "floor_area_m2": 3200.5, "contact_name": "李小红",
        "contact_phone": "13812345678", "first_admission_date": "2026-03-01",
    }
    return {**data, **over}


def record(code: str, **over: Any) -> dict[str, Any]:
    data = {
        "uscc": code, "name": "重庆幸福养老服务有限公司", "entity_type": "有限责任公司",
        "legal_representative": "王建国", "address": "重庆市渝中区解放碑路 1 号",
        "district_code": "500103", "business_scope": "养老服务；康复辅具租赁",
        "established_date": "2026-01-05", "status": "active",
    }
    return {**data, **over}


def registration_received(code: str, scope: bool = True, **over: Any) -> dict[str, Any]:
    return {"uscc": code, "record": record(code, **over), "elderly_care_scope": scope,
            "received_on": "2026-01-06"}


def registration_changed(code: str, changed: list[str], **over: Any) -> dict[str, Any]:
    return {"uscc": code, "record": record(code, **over), "changed_fields": changed,
            "previous": {}, "elderly_care_scope": True, "received_on": "2026-05-01"}


def filed(code: str, receipt_no: str = "渝民养备 2026-0001", filed_on: str = "2026-02-10",
          late: bool = False, **over: Any) -> dict[str, Any]:
    return {"uscc": code, "receipt_no": receipt_no, "filing": filing(**over),
            "filed_on": filed_on, "filing_required": True, "filing_deadline": "2026-03-20",
            "late": late, "late_by_workdays": 3 if late else 0, "deadline_provisional": False}


def filing_changed(code: str, changed: list[str], **over: Any) -> dict[str, Any]:
    return {"uscc": code, "receipt_no": "渝民养备 2026-0001", "filing": filing(**over),
            "changed_fields": changed, "changed_on": "2026-04-01"}


def cancelled(code: str, reason: str = "机构停止养老服务") -> dict[str, Any]:
    return {"uscc": code, "receipt_no": "渝民养备 2026-0001", "reason": reason,
            "cancelled_on": "2026-06-30"}


def suspected(code: str, **over: Any) -> dict[str, Any]:
    """Without ``basis``/``since`` as events stored before they existed; add them via over."""
    data = {"uscc": code, "name": "重庆幸福养老服务有限公司", "district_code": "500103",
            "received_on": "2026-01-06", "grace_workdays": 20, "deadline": "2026-02-03",
            "detected_on": "2026-02-04"}
    return {**data, **over}


def event(name: str, data: dict[str, Any], version: int, moment: datetime) -> Event:
    return Event(name=name, data=data, version=version, time=moment)


def lifecycle(code: str) -> list[Event]:
    """Registration, filing, a change and a cancellation of one institution."""
    return [
        event("EnterpriseRegistrationReceived", registration_received(code), 1, at("2026-01-06")),
        event("InstitutionFiled", filed(code), 2, at("2026-02-10")),
        event("InstitutionFilingChanged", filing_changed(code, ["beds"], beds=150), 3,
              at("2026-04-01")),
        event("InstitutionCancelled", cancelled(code), 4, at("2026-06-30")),
    ]
