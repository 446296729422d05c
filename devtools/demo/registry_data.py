"""The deterministic demo data set: Chongqing elderly-care institutions (all fictional)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from stdnum.cn import uscc as stdnum_uscc

DISTRICTS = [("500103", "渝中区", "解放碑街道"), ("500104", "大渡口区", "新山村街道"),
             ("500105", "江北区", "观音桥街道"), ("500106", "沙坪坝区", "磁器口街道"),
             ("500107", "九龙坡区", "杨家坪街道"), ("500108", "南岸区", "南坪街道"),
             ("500112", "渝北区", "龙溪街道")]
BRANDS = ["康乐", "福寿", "颐和", "夕阳红", "松鹤", "安康", "慈济", "乐龄", "长青", "和美",
          "晚晴", "天伦", "康宁", "寿康", "怡园", "金秋", "仁爱", "德馨", "百福", "嘉禾",
          "瑞祥", "同心", "春晖", "恒寿"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "志强", "桂兰", "晓燕", "海涛", "丽华", "文杰", "春梅", "国庆",
         "玉珍", "明辉", "红霞", "永刚", "淑芬", "德明"]
STREETS = ["民生路", "建设路", "和平路", "人民路", "长江路", "嘉陵路", "文化路", "兴隆路"]
# (USCC prefix, operator type, what the institution is called)
KINDS = {"profit": ("91", "private_profit", "养老服务中心"),
         "nonprofit": ("52", "private_nonprofit", "养老院"),
         "public": ("12", "public", "社会福利院"),
         "leased_public": ("91", "public_private", "颐养中心")}
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class DemoInstitution:
    """One demo institution, what happens to it, and the bodies to send."""

    uscc: str
    scenario: str  # on_time, late, small, unfiled, cancelled
    registration: dict[str, Any] | None  # pushed by market supervision (91 only)
    filing: dict[str, Any]


def _kind(i: int) -> str:
    return {7: "nonprofit", 8: "nonprofit", 9: "public"}.get(i % 10, "profit") \
        if i % 20 != 19 else "leased_public"


def _scenario(i: int) -> str:
    if i == 6:
        return "cancelled"
    if i % 13 == 3 and _kind(i) in ("profit", "leased_public"):
        return "unfiled"
    if i % 12 == 5:
        return "late"
    return "small" if i % 20 == 11 else "on_time"


def make_uscc(prefix: str, district: str, rng: random.Random) -> str:
    """A USCC whose check character is correct (GB 32100-2015)."""
    subject = "MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
    body = f"{prefix}{district}{subject}"
    return body + stdnum_uscc.calc_check_digit(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _admission(scenario: str, rng: random.Random, today: date) -> str | None:
    if scenario == "late":
        return (today - timedelta(days=rng.randint(40, 120))).isoformat()
    if rng.random() < 0.1:
        return None  # filed before admitting anyone
    return (today - timedelta(days=rng.randint(0, 6))).isoformat()  # < 10 working days


def _registration(i: int, uscc: str, name: str, person: str, address: str,
                  code: str) -> dict[str, Any]:
    return {"uscc": uscc, "name": name, "entity_type": "有限责任公司（自然人投资或控股）",
            "legal_representative": person, "address": address, "district_code": code,
            "business_scope": "许可项目：养老服务；一般项目：健康咨询服务，家政服务",
            "established_date": date(2015 + i % 10, 1 + i % 12, 1 + i % 28).isoformat(),
            "status": "active"}


def _filing(i: int, rng: random.Random, scenario: str, today: date) -> dict[str, Any]:
    beds = rng.randint(3, 9) if scenario == "small" else rng.choice([30, 45, 60, 80, 120, 200])
    return {"premises_ownership": rng.choice(["owned", "leased", "leased", "free_use"]),
            "beds": beds, "nursing_beds": beds * rng.randint(3, 7) // 10,
            "floor_area_m2": float(beds * rng.randint(25, 45)), "contact_name": _person(rng),
            "contact_phone": f"023-0000{i:04d}",  # no local number starts with 0: never real
            "first_admission_date": _admission(scenario, rng, today)}


def build(i: int, today: date) -> DemoInstitution:
    """Demo institution number i; the same i always gives the same institution."""
    rng = random.Random(f"eldercare-demo-{i}")
    code, district, street = DISTRICTS[i % len(DISTRICTS)]
    prefix, operator, suffix = KINDS[_kind(i)]
    scenario, brand = _scenario(i), BRANDS[i % len(BRANDS)]
    uscc, person = make_uscc(prefix, code, rng), _person(rng)
    address = f"重庆市{district}{street}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
    filing = {"name": f"重庆市{district}{brand}{suffix}", "address": address,
              "district_code": code, "legal_representative": person, "operator_type": operator,
              **_filing(i, rng, scenario, today)}
    registration = None
    if prefix == "91":  # enterprises are registered by market supervision and pushed
        registration = _registration(i, uscc, f"重庆市{district}{brand}养老服务有限公司", person,
                                     address, code)
    return DemoInstitution(uscc, scenario, registration, filing)


def dataset(count: int, today: date) -> list[DemoInstitution]:
    return [build(i, today) for i in range(count)]
