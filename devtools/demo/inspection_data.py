"""The inspection demo data set: rosters, item lists, one joint plan and its results.

Institutions are those of the registry demo, recomputed from devtools.demo.registry_data (the same
index always gives the same USCC and name), so nothing has to be looked up first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from devtools.demo.registry_data import DemoInstitution, build

REGISTRY_COUNT = 60  # institutions the registry demo creates by default
PLAN_DISTRICTS = ("500103", "500105")  # 渝中区, 江北区
CONFLICTED = 0  # registry demo institution the inspector FR-DEMO-02 declared a conflict with
RESULTS_TO_RECORD = 3  # the first drawn tasks (by USCC) get a visit, a result and publication


@dataclass(frozen=True)
class DemoInspector:
    department: str
    inspector_id: str
    region: str
    certificate_no: str
    conflict_with: tuple[int, ...] = ()  # registry demo indexes

    def body(self, today: date) -> dict[str, Any]:
        return {"inspector_id": self.inspector_id, "region": self.region,
                "certificate_no": self.certificate_no, "active": True,
                "conflicts": [build(i, today).uscc for i in self.conflict_with]}


INSPECTORS = (
    DemoInspector("civil_affairs", "ca-demo-01", "500103", "MZ50010300101"),
    DemoInspector("civil_affairs", "ca-demo-02", "500103", "MZ50010300102"),
    DemoInspector("civil_affairs", "ca-demo-03", "500105", "MZ50010500103"),
    DemoInspector("fire_rescue", "fr-demo-01", "500103", "XF50010300201"),
    DemoInspector("fire_rescue", "fr-demo-02", "500103", "XF50010300202", (CONFLICTED,)),
    DemoInspector("fire_rescue", "fr-demo-03", "500105", "XF50010500203"),
)

ITEMS = (
    ("civil_affairs", {"item_id": "MZ-01", "name": "养老服务安全管理（防跌倒、食品、用药、照护）",
                       "legal_basis": "《养老机构服务安全基本规范》（GB 38600-2019）",
                       "method": "on_site"}),
    ("civil_affairs", {"item_id": "MZ-02", "name": "收费公示与预收费资金管理",
                       "legal_basis": "《养老机构管理办法》（民政部令第66号）",
                       "method": "document_review"}),
    ("fire_rescue", {"item_id": "XF-01", "name": "消防安全责任制与防火巡查检查",
                     "legal_basis": "《中华人民共和国消防法》第十六条", "method": "on_site"}),
    ("fire_rescue", {"item_id": "XF-02", "name": "疏散通道、安全出口与消防设施器材",
                     "legal_basis": "《社会福利机构消防安全管理十项规定》",
                     "method": "on_site"}),
)
ITEM_REFS = tuple(f"{dept}/{body['item_id']}" for dept, body in ITEMS)


def plan_spec(today: date) -> dict[str, Any]:
    """One joint plan of civil affairs and fire rescue for the current year."""
    return {"series": "demo", "year": today.year, "batch": 1,
            "title": f"{today.year} 年养老机构民政、消防跨部门联合双随机抽查（渝中区、江北区）",
            "departments": ["civil_affairs", "fire_rescue"], "districts": list(PLAN_DISTRICTS),
            "items": list(ITEM_REFS), "ratios": {"A": 10, "B": 25, "C": 50, "D": 100}}


def plan_id(today: date) -> str:
    return f"{today.year}-demo-1"


def _all(outcome: str) -> dict[str, str]:
    return {ref: outcome for ref in ITEM_REFS}


# What the visits found, in the order of the drawn tasks (by USCC).
RESULTS: tuple[dict[str, Any], ...] = (
    {"outcomes": _all("compliant"), "findings": "各抽查事项均符合要求。", "follow_up": "none"},
    {"outcomes": {**_all("compliant"), "fire_rescue/XF-02": "problem_found"},
     "findings": "二层东侧疏散通道堆放轮椅、床垫等杂物；一处应急照明灯不亮。",
     "follow_up": "rectification_ordered"},
    {"outcomes": {**_all("compliant"), "civil_affairs/MZ-02": "not_applicable"},
     "findings": "机构未收取押金和预收费，收费事项不适用；其余事项符合要求。",
     "follow_up": "none"},
)


def result_body(n: int) -> dict[str, Any]:
    r = RESULTS[n % len(RESULTS)]
    return {"item_outcomes": [{"item": ref, "outcome": r["outcomes"][ref]} for ref in ITEM_REFS],
            "findings": r["findings"], "follow_up": r["follow_up"]}


def plan_objects(today: date, count: int = REGISTRY_COUNT) -> list[DemoInstitution]:
    """Registry demo institutions the plan's snapshot should hold (filed, in its districts)."""
    found = [build(i, today) for i in range(count)]
    return [d for d in found if d.filing["district_code"] in PLAN_DISTRICTS
            and d.scenario not in ("unfiled", "cancelled")]
