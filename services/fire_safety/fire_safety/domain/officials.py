"""The register of named officials (stream officials-register) and member-list validation.

Until the identity service exists, each department registers the accounts (token ``sub``) of
its officials here; collective determinations, expert panels and sealing decisions name
members only from this register. The domain sees the register through ``Directory`` (a
read-only mapping login -> Official), so an adapter over the identity service's accounts can
replace it without touching the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fire_safety.domain.errors import Conflict, Forbidden, NotFound, require
from fire_safety.domain.events import OfficialDeactivated, OfficialEvent, OfficialRegistered
from shared.domain import Event

DUTIES = ("officer", "expert")  # 执法人员 / 登记的专家（仅可参加专家组）
HAZARD_DEPARTMENT = "fire_rescue"  # 消防救援机构: convenes expert panels, seals (消防法 art. 54)


@dataclass(frozen=True)
class Official:
    """A named account: login (= token sub, no personal data), department, region, duty."""

    login: str
    department: str
    region: str
    duty: str = "officer"
    conflicts: tuple[str, ...] = ()  # USCCs of institutions the official has an interest in
    active: bool = True

    def to_data(self) -> dict[str, Any]:
        return {"login": self.login, "department": self.department, "region": self.region,
                "duty": self.duty, "conflicts": sorted(set(self.conflicts))}


Directory = Mapping[str, Official]  # the port: login -> Official (any Mapping will do)


@dataclass(frozen=True)
class RegisterOfficial:
    official: Official
    actor_dept: str


@dataclass(frozen=True)
class DeactivateOfficial:
    department: str
    login: str
    reason: str
    actor_dept: str


def initial() -> dict[str, Official]:
    return {}


def evolve(state: dict[str, Official], event: Event) -> dict[str, Official]:
    """Apply one stored event; other types leave the register as it is."""
    match event:
        case OfficialRegistered():
            o = Official(event.login, event.department, event.region, event.duty,
                         tuple(sorted(set(event.conflicts))))
            return {**state, o.login: o}
        case OfficialDeactivated():
            return {**state, event.login: replace(state[event.login], active=False)}
    return state


def _require_own_department(department: str, actor_dept: str) -> None:
    if actor_dept != department:
        raise Forbidden(f"{actor_dept} 不能维护 {department} 的人员名录")


def decide_register(state: Directory, cmd: RegisterOfficial) -> list[OfficialEvent]:
    """A login is registered once (one department); the same details again store nothing;
    an inactive login may be registered again (reactivation)."""
    new = replace(cmd.official, conflicts=tuple(sorted(set(cmd.official.conflicts))),
                  active=True)
    _require_own_department(new.department, cmd.actor_dept)
    require({"duty": [] if new.duty in DUTIES else [f"须为 {' 或 '.join(DUTIES)}"]})
    old = state.get(new.login)
    if old is not None and old.department != new.department:
        raise Conflict(f"账号 {new.login} 已登记在 {old.department}")
    if old is not None and old.active:
        if old == new:
            return []
        raise Conflict(f"账号 {new.login} 已登记且信息不同（请先停用再重新登记）")
    return [OfficialRegistered(new.login, new.department, new.region, new.duty,
                               tuple(sorted(set(new.conflicts))))]


def decide_deactivate(state: Directory, cmd: DeactivateOfficial) -> list[OfficialEvent]:
    """Deactivate once, with a reason; already inactive: nothing."""
    _require_own_department(cmd.department, cmd.actor_dept)
    old = state.get(cmd.login)
    if old is None or old.department != cmd.department:
        raise NotFound(f"{cmd.department} 没有账号 {cmd.login}")
    require({"reason": [] if cmd.reason.strip() else ["不能为空"]})
    if not old.active:
        return []
    return [OfficialDeactivated(cmd.login, cmd.department, cmd.reason.strip())]


@dataclass(frozen=True)
class MemberRule:
    """Who may sit: department, duties allowed, how many at least, for which institution."""

    department: str
    duties: tuple[str, ...]
    minimum: int
    institution_uscc: str
    what: str  # 集体讨论判定人员 / 专家组成员 ...


def member_errors(members: tuple[str, ...] | list[str], rule: MemberRule,
                  directory: Directory) -> list[str]:
    """Messages about a member list: distinct, registered, active, of the right department
    and duty, no declared interest in the institution, and at least ``rule.minimum``."""
    people = list(members)
    msgs: list[str] = []
    dupes = sorted({p for p in people if people.count(p) > 1})
    if dupes:
        msgs.append(f"成员不得重复：{', '.join(dupes)}")
    checks: list[tuple[str, Callable[[Official | None], bool]]] = [
        ("未登记", lambda o: o is None),
        (f"不是 {rule.department} 的人员", lambda o: o is not None
         and o.department != rule.department),
        ("已停用", lambda o: o is not None and o.department == rule.department
         and not o.active),
        (f"不能担任{rule.what}（人员类别不符）", lambda o: o is not None
         and o.department == rule.department and o.active and o.duty not in rule.duties),
        ("与被检查机构有利害关系，须回避", lambda o: o is not None
         and o.department == rule.department and o.active
         and rule.institution_uscc in o.conflicts),
    ]
    for label, bad in checks:
        found = sorted({p for p in people if bad(directory.get(p))})
        if found:
            msgs.append(f"{label}：{', '.join(found)}")
    if len(set(people)) < rule.minimum:
        msgs.append(f"{rule.what}不得少于 {rule.minimum} 人（均须为已登记的在职账号）")
    return msgs

