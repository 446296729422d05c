"""Test data builders: USCCs, registry envelopes, snapshots and plan specs."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from inspection.domain.canonical import ALGORITHM, conflict_tag, sha256_hex
from stdnum.cn import uscc as stdnum_uscc

from shared.envelope import Envelope, ce_type, new_event_id

CHINA = timezone(timedelta(hours=8))
DEPTS = ["civil_affairs", "fire_rescue", "market_supervision"]


def china_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHINA)


def make_uscc(n: int = 1, prefix: str = "91", district: str = "500103") -> str:
    body = f"{prefix}{district}MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def filing(n: int, district: str = "500103", operator_type: str = "private_profit",
           beds: int = 60) -> dict[str, Any]:
    return {"name": f"测试养老院{n}", "address": "重庆市渝中区解放碑路1号",
            "district_code": district, "legal_representative": "王建国",
            "operator_type": operator_type, "premises_ownership": "leased", "beds": beds,
            "nursing_beds": 10, "floor_area_m2": 1200.0, "contact_name": "李明",
            "contact_phone": "02363001234", "first_admission_date": "2026-01-05"}


def registry_event(name: str, uscc: str, version: int, data: dict[str, Any]) -> Envelope:
    return Envelope(id=new_event_id(), source="/eldercare/registry",
                    type=ce_type("registry", name), subject=f"institution-{uscc}",
                    time=datetime(2026, 1, 1, tzinfo=CHINA), data={"uscc": uscc, **data},
                    stream_version=version, command_id="c", actor_dept="civil_affairs",
                    actor="t")


def filed(n: int, version: int = 1, **over: Any) -> Envelope:
    uscc = make_uscc(n)
    return registry_event("InstitutionFiled", uscc, version, {
        "receipt_no": f"500103-2026-备-{n}", "filing": filing(n, **over),
        "filed_on": "2026-01-10", "filing_required": True, "filing_deadline": "2026-01-19",
        "late": False, "late_by_workdays": 0, "deadline_provisional": False})


def seal(objects: list[dict[str, Any]], inspectors: list[dict[str, Any]],
         departments: list[str], ratios: dict[str, int] | None = None, team_size: int = 2,
         last: dict[str, list[str]] | None = None) -> tuple[dict[str, Any], dict[str, dict]]:
    """A v2 snapshot (conflicts sealed per object) and its openings, from inspectors given
    with their declared conflicts, as snapshot.build_snapshot makes them."""
    openings = {o["uscc"]: {"uscc": o["uscc"], "salt": sha256_hex(o["uscc"].encode())[:32],
                            "inspectors": sorted(i["key"] for i in inspectors
                                                 if o["uscc"] in i.get("conflicts", ()))}
                for o in objects}
    sealed = [{**o, "conflict_tag": conflict_tag(openings[o["uscc"]])} for o in objects]
    snap = {"algorithm": ALGORITHM, "plan_id": "2026-test-1", "departments": sorted(departments),
            "team_size": team_size,
            "ratios_bp": ratios or {"A": 500, "B": 1000, "C": 3000, "D": 7000},
            "objects": sorted(sealed, key=lambda o: o["uscc"]),
            "inspectors": sorted(({k: i[k] for k in ("key", "department", "active")}
                                  for i in inspectors), key=lambda i: i["key"]),
            "last_inspectors": last or {}}
    return snap, openings


def snapshot(objects: list[dict[str, Any]], inspectors: list[dict[str, Any]],
             departments: list[str], ratios: dict[str, int] | None = None, team_size: int = 2,
             last: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return seal(objects, inspectors, departments, ratios, team_size, last)[0]


def conflicts_of(openings: dict[str, dict]) -> dict[str, list[str]]:
    return {u: op["inspectors"] for u, op in openings.items()}


def obj(uscc: str, level: str = "B", excluded: bool = False) -> dict[str, Any]:
    return {"uscc": uscc, "credit_level": level, "district_code": "500103",
            "operator_type": "private_profit", "excluded": excluded}


def inspector(dept: str, n: int, active: bool = True,
              conflicts: list[str] | None = None) -> dict[str, Any]:
    return {"key": f"{dept}/I{n:04d}", "department": dept, "active": active,
            "conflicts": sorted(conflicts or [])}
