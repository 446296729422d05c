"""Hazard determination by an expert panel and temporary sealing of major hazards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fire_safety.domain.errors import Conflict, NotFound, require
from fire_safety.domain.model import DomainEvent, Rules, distinct
from fire_safety.domain.state import Hazard, Inspection


@dataclass(frozen=True)
class ExpertDetermination:
    """An expert panel's conclusion on a hard case (GB 35181: >= 7 members, >= 2/3 agree)."""

    hazard_id: str
    members: tuple[str, ...]
    agreeing: tuple[str, ...]
    result: str  # major | general
    today: date


@dataclass(frozen=True)
class OrderSealing:
    """Temporary sealing / suspension of use (临时查封) for a major hazard."""

    hazard_id: str
    scope: str
    reason: str
    decision: str  # collective | emergency
    decided_by: tuple[str, ...]
    today: date


@dataclass(frozen=True)
class ConfirmSealing:
    hazard_id: str
    decided_by: tuple[str, ...]
    today: date


@dataclass(frozen=True)
class LiftSealing:
    hazard_id: str
    reason: str
    today: date


def find_hazard(state: Inspection, hazard_id: str) -> Hazard:
    """The hazard of a completed inspection, or NotFound."""
    hazard = state.hazards.get(hazard_id)
    if hazard is None:
        raise NotFound(f"隐患 {hazard_id} 不存在")
    return hazard


def hazard_base(state: Inspection, hazard: Hazard) -> dict[str, Any]:
    """Fields every hazard event carries (what consumers join on)."""
    return {"hazard_id": hazard.hazard_id, "inspection_id": state.inspection_id,
            "institution_uscc": state.institution_uscc,
            "institution_name": state.institution_name}


def panel_errors(members: list[str], agreeing: list[str], rules: Rules) -> dict[str, list[str]]:
    """Panel size, agreeing members among the panel, and the two-thirds share."""
    outsiders = [a for a in agreeing if a not in members]
    share_ok = len(agreeing) * rules.panel_share_den >= len(members) * rules.panel_share_num
    return {
        "members": [f"专家组不得少于 {rules.panel_min} 人"] if len(members) < rules.panel_min
        else [],
        "agreeing": [f"不是专家组成员：{', '.join(outsiders)}"] if outsiders else
        [] if share_ok else
        [f"同意人数须达到专家组的 {rules.panel_share_num}/{rules.panel_share_den}"],
    }


def decide_expert(state: Inspection, cmd: ExpertDetermination,
                  rules: Rules) -> list[DomainEvent]:
    """Pending or general hazards may go to the panel; a major one is already determined."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level == "major":
        raise Conflict("该隐患已判定为重大火灾隐患")
    members, agreeing = distinct(list(cmd.members)), distinct(list(cmd.agreeing))
    require({**panel_errors(members, agreeing, rules),
             "result": [] if cmd.result in ("major", "general") else ["须为 major 或 general"]})
    if cmd.result == "general" and hazard.level == "general":
        return []
    name = "MajorHazardDetermined" if cmd.result == "major" else "HazardDeterminedGeneral"
    return [DomainEvent(name, {
        **hazard_base(state, hazard), "method": "expert_panel", "members": members,
        "agreeing": agreeing, "determined_on": cmd.today.isoformat()})]


def decide_sealing(state: Inspection, cmd: OrderSealing, rules: Rules) -> list[DomainEvent]:
    """Major hazards only; collective (>= 3) or emergency, confirmed within 24 h."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level != "major":
        raise Conflict("只有重大火灾隐患可以临时查封")
    if hazard.sealing in ("sealed", "sealed_unconfirmed"):
        raise Conflict("该隐患部位已被查封")
    people = distinct(list(cmd.decided_by))
    need = rules.collective_min if cmd.decision == "collective" else 1
    require({"decided_by": [f"至少 {need} 人"] if len(people) < need else [],
             "scope": [] if cmd.scope.strip() else ["不能为空"],
             "reason": [] if cmd.reason.strip() else ["不能为空"]})
    confirm_by = (cmd.today + timedelta(days=rules.sealing_confirm_days)
                  if cmd.decision == "emergency" else None)
    return [DomainEvent("SealingOrdered", {
        **hazard_base(state, hazard), "scope": cmd.scope.strip(), "reason": cmd.reason.strip(),
        "ordered_on": cmd.today.isoformat(), "decision": cmd.decision, "decided_by": people,
        "confirm_by": confirm_by.isoformat() if confirm_by else None})]


def decide_confirm_sealing(state: Inspection, cmd: ConfirmSealing,
                           rules: Rules) -> list[DomainEvent]:
    """An emergency sealing confirmed by a collective decision."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.sealing != "sealed_unconfirmed":
        raise Conflict("没有待确认的紧急查封")
    people = distinct(list(cmd.decided_by))
    require({"decided_by": [f"至少 {rules.collective_min} 人"]
             if len(people) < rules.collective_min else []})
    return [DomainEvent("SealingConfirmed", {**hazard_base(state, hazard), "decided_by": people,
                                             "confirmed_on": cmd.today.isoformat()})]


def decide_lift_sealing(state: Inspection, cmd: LiftSealing) -> list[DomainEvent]:
    """Lift a sealing in force."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.sealing not in ("sealed", "sealed_unconfirmed"):
        raise Conflict("该隐患部位未被查封")
    require({"reason": [] if cmd.reason.strip() else ["不能为空"]})
    return [DomainEvent("SealingLifted", {**hazard_base(state, hazard),
                                          "reason": cmd.reason.strip(),
                                          "lifted_on": cmd.today.isoformat()})]
