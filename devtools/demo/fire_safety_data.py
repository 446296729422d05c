"""The fire-safety demo data set: the register of named officials, then four inspections of
registry demo institutions.

0. OFFICIALS: the accounts each department registers first (members of a collective
   determination must be registered, active officers of the inspection's department).

1. FI-DEMO-01 joint daily inspection, every item passed.
2. FI-DEMO-02 a general hazard (emergency lighting), order served, re-inspected and verified.
3. FI-DEMO-03 a major hazard (locked exits) determined collectively by three people, order
   served weeks ago and left unfixed: the overdue check flags it (挂牌督办).
4. FI-DEMO-04 joint daily inspection, one item corrected on the spot (no hazard).

Dates are counted back from today in China working days, so every deadline is in the past
by the same margin whenever the demo runs. Institutions are recomputed from registry_data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from devtools.demo.registry_data import build
from shared.workdays import WorkCalendar

ITEM_CODES = ("exits_routes", "emergency_lighting_signs", "fire_facilities", "annual_test_report",
              "control_room", "wiring_fire_power_gas", "combustible_decoration",
              "patrol_drill_logs", "evacuation_aids", "fire_approval")
FR = [{"user_id": "fr-demo-01", "department": "fire_rescue"},
      {"user_id": "fr-demo-02", "department": "fire_rescue"}]
JOINT = [{"user_id": "ca-demo-01", "department": "civil_affairs"},
         {"user_id": "fr-demo-03", "department": "fire_rescue"}]
DISTRICT = "500103"
# (department, login, duty): registered by the department before any inspection
OFFICIALS = (
    *(("fire_rescue", login, "officer")
      for login in ("fr-demo-01", "fr-demo-02", "fr-demo-03", "fr-demo-chief")),
    # the console's demo fire officials (devstack.identity_dev.DEMO_OFFICIALS) sit together
    # on a major hazard's collective determination, each answering from their own sign-in
    *(("fire_rescue", login, "officer")
      for login in ("cq.fr.officer", "cq.fr.officer2", "cq.fr.officer3")),
    ("civil_affairs", "ca-demo-01", "officer"),
)


def official_body(login: str, duty: str) -> dict[str, Any]:
    return {"login": login, "region": DISTRICT, "duty": duty}


@dataclass(frozen=True)
class Order:
    item_code: str
    served_after: int  # working days after the inspection
    deadline_workdays: int
    measures: str
    fixed_after: int | None = None  # working days after service: re-inspected and fixed
    reinspectors: tuple[str, ...] = ("fr-demo-01", "fr-demo-03")
    evidence: str = ""


@dataclass(frozen=True)
class DemoInspection:
    inspection_id: str
    institution: int  # registry demo index
    kind: str
    workdays_ago: int
    inspectors: list[dict[str, str]]
    role: str  # who records it
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # non-pass items
    orders: tuple[Order, ...] = ()

    def body(self, today: date) -> dict[str, Any]:
        inst = build(self.institution, today)
        items = [{"item_code": c, **self.items.get(c, {"outcome": "pass"})} for c in ITEM_CODES]
        return {"inspection_id": self.inspection_id, "institution_uscc": inst.uscc,
                "institution_name": inst.filing["name"], "kind": self.kind,
                "inspection_date": self.inspected_on(today).isoformat(),
                "inspectors": self.inspectors,
                "items": items, "complete": not self.determinations()}

    def determinations(self) -> dict[str, list[str]]:
        """Major items and the members who must each confirm them before completion."""
        return {code: list(i["determined_by"]) for code, i in self.items.items()
                if i.get("level") == "major"}

    def inspected_on(self, today: date) -> date:
        return workdays_before(today, self.workdays_ago)

    def uscc(self, today: date) -> str:
        return build(self.institution, today).uscc


INSPECTIONS = (
    DemoInspection("FI-DEMO-01", 14, "joint_daily", 8, JOINT, "civil_affairs"),
    DemoInspection(
        "FI-DEMO-02", 1, "fire_supervision", 15, FR, "fire_rescue",
        items={"emergency_lighting_signs": {
            "outcome": "fail", "level": "general",
            "evidence": "三层走廊 2 处疏散指示标志不亮，1 处应急照明灯蓄电池失效"}},
        orders=(Order("emergency_lighting_signs", 1, 5,
                      "更换损坏的疏散指示标志和应急照明灯，并对全楼应急照明进行一次检测",
                      fixed_after=4, evidence="已更换 3 处灯具，复查时断电测试全部正常"),)),
    DemoInspection(
        "FI-DEMO-03", 12, "fire_supervision", 25, FR, "fire_rescue",
        items={"exits_routes": {
            "outcome": "fail", "level": "major",
            "evidence": "二层、三层疏散楼梯间防火门上锁，北侧安全出口被床垫、轮椅堵塞",
            "determined_by": ["fr-demo-01", "fr-demo-02", "fr-demo-chief"]},
            "control_room": {"outcome": "corrected_on_spot",
                             "evidence": "夜班仅一人值班，检查时当场调配第二名持证人员到岗"}},
        orders=(Order("exits_routes", 1, 10,
                      "立即拆除防火门门锁、清理安全出口堆放物品，落实每日防火巡查"),)),
    DemoInspection(
        "FI-DEMO-04", 9, "joint_daily", 3, JOINT, "civil_affairs",
        items={"patrol_drill_logs": {"outcome": "corrected_on_spot",
                                     "evidence": "缺两晚夜间巡查记录，值班人员当场补记并签字"}}),
)


def workdays_before(day: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """The working day n working days before ``day``."""
    cal = calendar or WorkCalendar()
    while n > 0:
        day -= timedelta(days=1)
        n -= cal.is_workday(day)
    return day


def served_on(inspection: DemoInspection, order: Order, today: date) -> date:
    return WorkCalendar().add_workdays(inspection.inspected_on(today), order.served_after)


def reinspected_on(inspection: DemoInspection, order: Order, today: date) -> date | None:
    if order.fixed_after is None:
        return None
    return min(today, WorkCalendar().add_workdays(served_on(inspection, order, today),
                                                  order.fixed_after))
