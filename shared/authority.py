"""Who may act: an official of one department, for some regions, with some duties.

This module is framework-free so that every layer can use it: the HTTP layer builds an
``Authority`` from a verified token (shared/oidc.py), the command metadata carries it into the
application layer, and a use case states the ``Scope`` a command needs (the department that
owns the thing, the district it lies in, the duty the rules reserve) which ``authorize``
checks before anything is decided. A refusal is ``Forbidden`` (HTTP 403).

Regions are administrative division codes (GB/T 2260): a 6-digit county, a 4-digit city or a
2-digit province prefix, full-length province/city codes standing for their prefix, and
``100000`` (the People's Republic) for national scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.domain import DomainError, region_prefix, within_region

DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
               "public_security", "finance", "housing")
CLERK, INSPECTOR, LEADER, ACCOUNT_ADMIN = "clerk", "inspector", "leader", "account_admin"
DUTIES = (CLERK, INSPECTOR, LEADER, ACCOUNT_ADMIN)
# Duties that act in business workflows; the account administrator has none of them.
BUSINESS_DUTIES = (CLERK, INSPECTOR, LEADER)
# Ordinary writes: the clerk who prepares them or the leader who answers for them.
WRITE_DUTIES = (CLERK, LEADER)
NATIONAL = "100000"
SYSTEM = "system"  # scheduler and consumers acting on the service's own behalf
REGION = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?$")


class Forbidden(DomainError):
    """The caller's department, region or duty does not reach what the command touches."""

    status = 403


def valid_region(code: str) -> bool:
    return bool(REGION.match(code))


def region_covers(region: str, district_code: str) -> bool:
    """One region of an account covers the district (national scope covers every one)."""
    return region == NATIONAL or within_region(region, district_code)


@dataclass(frozen=True)
class Authority:
    """The verified caller. ``regions`` empty means no region at all (not everywhere)."""

    sub: str
    department: str
    regions: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    scopes: frozenset[str] = field(default_factory=frozenset)
    name: str = ""

    @property
    def role(self) -> str:
        """The department (the word older code and views use)."""
        return self.department

    def covers(self, district_code: str) -> bool:
        return any(region_covers(r, district_code) for r in self.regions)

    def overlaps(self, region: str) -> bool:
        """A region-level record (an official serving ``region``) and the account's regions
        overlap: one of them covers the other."""
        if not valid_region(region):
            return False
        if region == NATIONAL:  # serving the whole country: every account's regions lie in it
            return bool(self.regions)
        return self.covers(region_prefix(region)) or any(
            r != NATIONAL and within_region(region, region_prefix(r)) for r in self.regions)

    def region_for(self, district_code: str) -> str | None:
        """The most specific of the account's regions that covers the district."""
        covering = [r for r in self.regions if region_covers(r, district_code)]
        if not covering:
            return None
        return max(covering, key=lambda r: 0 if r == NATIONAL else len(region_prefix(r)))

    def has_any_duty(self, duties: tuple[str, ...]) -> bool:
        return any(d in self.duties for d in duties)


@dataclass(frozen=True)
class Scope:
    """What a command needs: an owning department (any of), the object's district, a duty
    (any of). ``None`` leaves that dimension unchecked; ``national=True`` asks for national
    scope (a rule for the whole country, say)."""

    departments: tuple[str, ...] | None = None
    district: str | None = None
    duties: tuple[str, ...] | None = None
    national: bool = False


DUTY_NAMES = {CLERK: "经办人", INSPECTOR: "检查人员", LEADER: "负责人", ACCOUNT_ADMIN: "账号管理员"}
DEPARTMENT_NAMES = {"civil_affairs": "民政", "market_supervision": "市场监管",
                    "fire_rescue": "消防救援", "health": "卫生健康", "emergency": "应急管理",
                    "public_security": "公安", "finance": "金融/财政", "housing": "住房城乡建设"}


def check(authority: Authority, scope: Scope) -> str:
    """Raise Forbidden unless ``authority`` reaches ``scope``; return the region it acts for
    (the most specific covering region, or '' when the scope names no district)."""
    if scope.departments is not None and authority.department not in scope.departments:
        owners = "、".join(DEPARTMENT_NAMES.get(d, d) for d in scope.departments)
        raise Forbidden(f"此事项归{owners}部门办理，本账号属于"
                        f"{DEPARTMENT_NAMES.get(authority.department, authority.department)}")
    if scope.duties is not None and not authority.has_any_duty(scope.duties):
        needed = "或".join(DUTY_NAMES.get(d, d) for d in scope.duties)
        raise Forbidden(f"此操作须由{needed}办理，本账号没有该职责")
    if scope.national and NATIONAL not in authority.regions:
        raise Forbidden("此操作须由全国范围的账号办理")
    if scope.district is None:
        return NATIONAL if scope.national else ""
    region = authority.region_for(scope.district)
    if region is None:
        raise Forbidden(f"对象所在地 {scope.district} 不在本账号辖区"
                        f"（{'、'.join(authority.regions) or '无'}）内")
    return region
