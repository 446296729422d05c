"""Test data builders: valid USCCs, enterprise records and filing details."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from typing import Any

from registry.domain.model import EnterpriseRecord, FilingDetails
from stdnum.cn import uscc as stdnum_uscc

CHINA = timezone(timedelta(hours=8))


def china_noon(day: date) -> datetime:
    """Noon in China on ``day`` (what a FixedClock should say for that date)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHINA)


def make_uscc(n: int = 1, prefix: str = "91", district: str = "500103") -> str:
    """A USCC with a correct check character; ``n`` makes the subject id unique."""
    body = f"{prefix}{district}MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def record(n: int = 1, **changes: Any) -> EnterpriseRecord:
    base = EnterpriseRecord(
        uscc=make_uscc(n), name=f"重庆市渝中区康乐养老服务有限公司{n}", entity_type="有限责任公司",
        legal_representative="张伟", address="重庆市渝中区解放碑街道民族路 1 号",
        district_code="500103", business_scope="养老服务；健康咨询", status="active",
        established_date=date(2026, 3, 2))
    return dataclasses.replace(base, **changes)


def record_json(n: int = 1, **changes: Any) -> dict[str, Any]:
    return record(n, **changes).to_data()


def details(**changes: Any) -> FilingDetails:
    base = FilingDetails(
        name="重庆市渝中区康乐养老院", address="重庆市渝中区解放碑街道民族路 1 号",
        district_code="500103", legal_representative="张伟", operator_type="private_profit",
        premises_ownership="leased", beds=60, nursing_beds=30, floor_area_m2=2400.0,
        contact_name="王芳", contact_phone="023-63000001",
        first_admission_date=date(2026, 11, 16))
    return dataclasses.replace(base, **changes)


def filing_json(**changes: Any) -> dict[str, Any]:
    return details(**changes).to_data()
