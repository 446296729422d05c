"""The credit demo data set: four penalty decisions and one serious-dishonesty listing.

Penalties (decided a few working days ago, so disclosure is on time):
  a warning (recorded, never published), a low fine (shown 3 months), two larger fines
  (shown 3 years). The larger fire fine is for the institution whose major fire hazard the
  fire_safety demo leaves overdue.
Listing: fire rescue proposes an institution after a fire accident, civil affairs decides,
and the departments report their joint-punishment measures executed.

Institutions are recomputed from devtools.demo.registry_data; decision numbers carry the year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from devtools.demo.registry_data import build
from shared.workdays import WorkCalendar


@dataclass(frozen=True)
class DemoPenalty:
    number: str  # decision number without the year: 渝中民罚〔<year>〕<number>
    prefix: str
    role: str
    institution: int  # registry demo index
    violation_type: str
    legal_basis: str
    sanctions: tuple[dict[str, Any], ...]
    authority: str
    summary: str
    workdays_ago: int

    def decision_no(self, today: date) -> str:
        return f"{self.prefix}〔{self.decided_on(today).year}〕{self.number}号"

    def decided_on(self, today: date) -> date:
        return workdays_before(today, self.workdays_ago)

    def uscc(self, today: date) -> str:
        return build(self.institution, today).uscc

    @property
    def published(self) -> bool:
        return any(s["kind"] != "warning" for s in self.sanctions)

    def body(self, today: date) -> dict[str, Any]:
        inst = build(self.institution, today)
        return {"decision_no": self.decision_no(today),
                "party": {"kind": "organisation", "uscc": inst.uscc,
                          "name": inst.filing["name"]},
                "violation_type": self.violation_type, "legal_basis": self.legal_basis,
                "sanctions": list(self.sanctions), "authority": self.authority,
                "district_code": inst.filing["district_code"],
                "decided_on": self.decided_on(today).isoformat(), "summary": self.summary}


PENALTIES = (
    DemoPenalty("301", "渝北民罚", "civil_affairs", 13, "service_management",
                "《养老机构管理办法》（民政部令第66号）", ({"kind": "warning"},),
                "重庆市渝北区民政局", "未按规定对入住老年人进行能力评估并建立健康档案", 6),
    DemoPenalty("302", "渝中民罚", "civil_affairs", 21, "fee_disclosure",
                "《养老机构管理办法》（民政部令第66号）",
                ({"kind": "fine", "amount_fen": 500_000},),
                "重庆市渝中区民政局", "未在服务场所显著位置公示服务项目和收费标准", 5),
    DemoPenalty("303", "南岸消罚", "fire_rescue", 12, "fire_safety",
                "《中华人民共和国消防法》第六十条第一款第三项",
                ({"kind": "fine", "amount_fen": 3_000_000},),
                "重庆市南岸区消防救援支队",
                "封闭疏散楼梯间防火门、堵塞安全出口，经责令改正逾期未改", 2),
    DemoPenalty("304", "渝中民罚", "civil_affairs", 0, "prepaid_funds",
                "《养老机构管理办法》（民政部令第66号）",
                ({"kind": "fine", "amount_fen": 2_000_000},),
                "重庆市渝中区民政局", "超过规定标准收取老年人押金，且未存入资金监管专户", 3),
)


@dataclass(frozen=True)
class DemoListing:
    institution: int
    ground: str
    ground_detail: str
    decision_number: str  # 渝民信〔<year>〕<number>号
    proposer: str = "fire_rescue"

    def uscc(self, today: date) -> str:
        return build(self.institution, today).uscc

    def proposal(self, today: date) -> dict[str, Any]:
        inst = build(self.institution, today)
        return {"institution_name": inst.filing["name"], "ground": self.ground,
                "ground_detail": self.ground_detail,
                "responsible_persons": [{"name": inst.filing["legal_representative"],
                                         "role": "法定代表人"}]}

    def decision(self, today: date) -> dict[str, Any]:
        return {"approve": True, "decision_no": f"渝民信〔{today.year}〕{self.decision_number}号",
                "reason": "经集体审议，符合列入严重失信主体名单的情形"}


LISTING = DemoListing(
    19, "safety_accident",
    "发生电气火灾，造成 2 名老年人吸入烟雾受伤送医；经调查系在老年人居室违规使用大功率电器、"
    "私拉乱接电线所致，属于违法违规行为造成的安全责任事故", "301")

# Execution reports per department and measure code; measures not named here get a generic
# note. Every measure is reported executed: tests/e2e/test_credit_e2e.py asserts that no
# measure is pending on the admin's joint-enforcement page.
EXECUTION_NOTES = {
    "finance.no_subsidy": "已停止拨付 {year} 年度运营补贴和床位建设补贴",
    "finance.no_procurement": "已通知政府采购平台限制其参与政府购买养老服务",
    "civil_affairs.no_star_rating": "已取消其本年度养老机构等级评定申请资格",
    "civil_affairs.more_inspection": "已列为重点监管对象，抽查比例提高至 100%",
    "market_supervision.restrict_legal_rep": "已在登记系统中对其法定代表人作限制标注",
    "fire_rescue.fire_focus": "已列为消防安全重点单位，每月检查一次",
}


def execution_note(department: str, code: str, today: date) -> str:
    return EXECUTION_NOTES.get(f"{department}.{code}", "已按联合惩戒措施执行").format(
        year=today.year)


def penalty_id_for(decision_no: str) -> str:
    """The service derives the penalty id from the decision number (credit.app.penalties)."""
    return "pn" + hashlib.sha1("".join(decision_no.split()).encode()).hexdigest()[:16]


def workdays_before(day: date, n: int) -> date:
    """The working day n working days before ``day``."""
    cal = WorkCalendar()
    while n > 0:
        day -= timedelta(days=1)
        n -= cal.is_workday(day)
    return day
