"""Hazard determination by an expert panel and temporary sealing of major hazards.

Both are decisions of the fire rescue organ (HAZARD_DEPARTMENT): only its principals record
them, and every member named is a registered, active account of it (officials.py). A panel
may include registered experts (duty ``expert``); a collective sealing decision only officers.
Nobody with a declared interest in the institution sits (GB 35181: interested parties may be
heard but may not sit on the panel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fire_safety.domain.errors import Conflict, Forbidden, NotFound, require
from fire_safety.domain.events import (
    ExpertPanelConvened,
    ExpertPanelVoted,
    HazardDeterminedGeneral,
    InspectionEvent,
    MajorHazardDetermined,
    SealingConfirmed,
    SealingLifted,
    SealingMemberConfirmed,
    SealingOrdered,
    SealingProposed,
)
from fire_safety.domain.officials import (
    DUTIES,
    HAZARD_DEPARTMENT,
    Directory,
    MemberRule,
    member_errors,
)
from fire_safety.domain.rules import Rules
from fire_safety.domain.state import Hazard, Inspection, SealingProposal


@dataclass(frozen=True)
class ExpertDetermination:
    """An expert panel's conclusion on a hard case (GB 35181: >= 7 members, >= 2/3 agree)."""

    hazard_id: str
    members: tuple[str, ...]
    agreeing: tuple[str, ...]
    result: str  # major | general
    today: date
    actor_dept: str


@dataclass(frozen=True)
class OrderSealing:
    """Temporary sealing / suspension of use (临时查封) for a major hazard."""

    hazard_id: str
    scope: str
    reason: str
    decision: str  # collective | emergency
    decided_by: tuple[str, ...]
    today: date
    actor_dept: str


@dataclass(frozen=True)
class ConfirmSealing:
    hazard_id: str
    decided_by: tuple[str, ...]
    today: date
    actor_dept: str


@dataclass(frozen=True)
class SealingVote:
    """A named member's own answer to the pending sealing proposal; ``member`` is the acting
    account (the token's subject)."""

    hazard_id: str
    member: str
    agree: bool
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


def require_hazard_department(actor_dept: str, what: str) -> None:
    """Only principals of the fire rescue organ record these decisions (admin: no)."""
    if actor_dept != HAZARD_DEPARTMENT:
        raise Forbidden(f"{what}由 {HAZARD_DEPARTMENT} 作出并记录，{actor_dept} 不能")


def panel_rule(state: Inspection, rules: Rules) -> MemberRule:
    """GB 35181: >= 7 members, officers or registered experts of the fire rescue organ."""
    return MemberRule(HAZARD_DEPARTMENT, DUTIES, rules.panel_min, state.institution_uscc,
                      "专家组成员")


def officers_rule(state: Inspection, minimum: int, what: str) -> MemberRule:
    return MemberRule(HAZARD_DEPARTMENT, ("officer",), minimum, state.institution_uscc, what)


def agreeing_errors(members: tuple[str, ...], agreeing: tuple[str, ...],
                    rules: Rules) -> list[str]:
    """Agreeing members: distinct, on the panel, at least num/den of the panel."""
    dupes = sorted({a for a in agreeing if agreeing.count(a) > 1})
    outsiders = sorted(set(agreeing) - set(members))
    panel = len(set(members))
    share_ok = len(set(agreeing)) * rules.panel_share_den >= panel * rules.panel_share_num
    return ([f"不得重复：{', '.join(dupes)}"] if dupes else []) + (
        [f"不是专家组成员：{', '.join(outsiders)}"] if outsiders else
        [] if share_ok else
        [f"同意人数须达到专家组的 {rules.panel_share_num}/{rules.panel_share_den}"])


def decide_expert(state: Inspection, cmd: ExpertDetermination, rules: Rules,
                  directory: Directory) -> list[InspectionEvent]:
    """Pending or general hazards may go to the panel; a major one is already determined."""
    require_hazard_department(cmd.actor_dept, "专家组判定")
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level == "major":
        raise Conflict("该隐患已判定为重大火灾隐患")
    require({"members": member_errors(cmd.members, panel_rule(state, rules), directory),
             "agreeing": agreeing_errors(cmd.members, cmd.agreeing, rules),
             "result": [] if cmd.result in ("major", "general") else ["须为 major 或 general"]})
    if cmd.result == "general" and hazard.level == "general":
        return []
    determined = MajorHazardDetermined if cmd.result == "major" else HazardDeterminedGeneral
    return [determined(
        **hazard_base(state, hazard), method="expert_panel", members=tuple(cmd.members),
        agreeing=tuple(cmd.agreeing), determined_on=cmd.today)]


@dataclass(frozen=True)
class ConvenePanel:
    """A fire-rescue leader names the panel and the conclusion put to it."""

    hazard_id: str
    members: tuple[str, ...]
    result: str  # major | general
    today: date
    actor_dept: str


@dataclass(frozen=True)
class PanelVote:
    """A member's own answer; ``member`` is the acting account (the token's subject)."""

    hazard_id: str
    member: str
    agree: bool
    today: date
    actor_dept: str


def share_reached(agreeing: int, panel: int, rules: Rules) -> bool:
    """At least num/den of the panel agree (GB 35181: two thirds)."""
    return agreeing * rules.panel_share_den >= panel * rules.panel_share_num


def decide_convene(state: Inspection, cmd: ConvenePanel, rules: Rules,
                   directory: Directory) -> list[InspectionEvent]:
    """Convene once per hard case: the same panel again is a retry; another while one waits
    for its members is a conflict."""
    require_hazard_department(cmd.actor_dept, "召集专家组")
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level == "major":
        raise Conflict("该隐患已判定为重大火灾隐患")
    members = tuple(cmd.members)
    require({"members": member_errors(members, panel_rule(state, rules), directory),
             "result": [] if cmd.result in ("major", "general") else ["须为 major 或 general"]})
    if hazard.panel_members and not hazard.panel_concluded:
        if (hazard.panel_members, hazard.panel_result) == (members, cmd.result):
            return []
        raise Conflict("已召集的专家组尚在等待成员确认")
    return [ExpertPanelConvened(**hazard_base(state, hazard), members=members,
                                result=cmd.result, convened_on=cmd.today)]


def decide_vote(state: Inspection, cmd: PanelVote, rules: Rules,
                directory: Directory) -> list[InspectionEvent]:
    """A named member confirms or dissents, once; the panel's conclusion takes effect with
    the vote that brings the agreeing members to the share (never before)."""
    hazard = find_hazard(state, cmd.hazard_id)
    if not hazard.panel_members:
        raise Conflict("该隐患尚未召集专家组")
    if cmd.member not in hazard.panel_members:
        raise Forbidden(f"{cmd.member} 不是该专家组成员，只有成员本人可以确认")
    given = dict(hazard.votes).get(cmd.member)
    if given is not None:
        if given == cmd.agree:
            return []  # the same answer again: a retry
        raise Conflict("已经确认过，意见不能更改")
    out: list[InspectionEvent] = [ExpertPanelVoted(
        **hazard_base(state, hazard), member=cmd.member, agree=cmd.agree, voted_on=cmd.today)]
    agreeing = tuple(m for m, yes in (*hazard.votes, (cmd.member, cmd.agree)) if yes)
    if cmd.agree and not hazard.panel_concluded and share_reached(
            len(agreeing), len(hazard.panel_members), rules):
        out += decide_expert(state, ExpertDetermination(
            cmd.hazard_id, hazard.panel_members, agreeing, hazard.panel_result, cmd.today,
            HAZARD_DEPARTMENT), rules, directory)
    return out


def decide_sealing(state: Inspection, cmd: OrderSealing, rules: Rules,
                   directory: Directory) -> list[InspectionEvent]:
    """Major hazards only. Emergency: sealed at once by the named officer(s), to be confirmed
    collectively within 24 h. Collective (>= 3): proposed to its named members and sealed only
    when every one of them has agreed from their own account."""
    require_hazard_department(cmd.actor_dept, "临时查封")
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.level != "major":
        raise Conflict("只有重大火灾隐患可以临时查封")
    if hazard.sealing in ("sealed", "sealed_unconfirmed"):
        raise Conflict("该隐患部位已被查封")
    people = tuple(cmd.decided_by)
    need = rules.collective_min if cmd.decision == "collective" else 1
    rule = officers_rule(state, need, "查封决定人员")
    require({"decided_by": member_errors(list(people), rule, directory),
             "scope": [] if cmd.scope.strip() else ["不能为空"],
             "reason": [] if cmd.reason.strip() else ["不能为空"]})
    if cmd.decision == "collective":
        return _propose(state, hazard, SealingProposal(
            "order", cmd.scope.strip(), cmd.reason.strip(), people), cmd.today)
    if hazard.proposal is not None:
        raise Conflict("已有待成员确认的集体查封决定")
    return [SealingOrdered(
        **hazard_base(state, hazard), scope=cmd.scope.strip(), reason=cmd.reason.strip(),
        ordered_on=cmd.today, decision=cmd.decision, decided_by=people,
        confirm_by=cmd.today + timedelta(days=rules.sealing_confirm_days))]


def decide_confirm_sealing(state: Inspection, cmd: ConfirmSealing, rules: Rules,
                           directory: Directory) -> list[InspectionEvent]:
    """Put the collective confirmation of an emergency sealing to its named members (>= 3)."""
    require_hazard_department(cmd.actor_dept, "确认紧急查封")
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.sealing != "sealed_unconfirmed":
        raise Conflict("没有待确认的紧急查封")
    people = tuple(cmd.decided_by)
    rule = officers_rule(state, rules.collective_min, "集体决定人员")
    require({"decided_by": member_errors(list(people), rule, directory)})
    return _propose(state, hazard, SealingProposal("confirm", "", "", people), cmd.today)


def _propose(state: Inspection, hazard: Hazard, proposal: SealingProposal,
             today: date) -> list[InspectionEvent]:
    """One proposal at a time: the same one again is a retry, another a conflict."""
    pending = hazard.proposal
    if pending is not None:
        if (pending.purpose, pending.scope, pending.reason, pending.members) == (
                proposal.purpose, proposal.scope, proposal.reason, proposal.members):
            return []
        raise Conflict("已有待成员确认的集体查封决定")
    return [SealingProposed(**hazard_base(state, hazard), purpose=proposal.purpose,
                            scope=proposal.scope, reason=proposal.reason,
                            members=proposal.members, proposed_on=today)]


def decide_sealing_vote(state: Inspection, cmd: SealingVote) -> list[InspectionEvent]:
    """A named member agrees or dissents, once. The agreement that completes the members
    makes the decision take effect (never before); a dissent ends the proposal."""
    hazard = find_hazard(state, cmd.hazard_id)
    proposal = hazard.proposal
    if proposal is None:
        raise Conflict("没有待确认的集体查封决定")
    if cmd.member not in proposal.members:
        raise Forbidden(f"{cmd.member} 不是该查封决定的成员，只有成员本人可以确认")
    if cmd.member in proposal.confirmed:
        if cmd.agree:
            return []  # the same answer again: a retry
        raise Conflict("已经确认过，意见不能更改")
    base = hazard_base(state, hazard)
    out: list[InspectionEvent] = [SealingMemberConfirmed(
        **base, purpose=proposal.purpose, member=cmd.member, agree=cmd.agree,
        confirmed_on=cmd.today)]
    if not cmd.agree or proposal.waiting_for() != (cmd.member,):
        return out
    if proposal.purpose == "order":
        out.append(SealingOrdered(**base, scope=proposal.scope, reason=proposal.reason,
                                  ordered_on=cmd.today, decision="collective",
                                  decided_by=proposal.members, confirm_by=None))
    else:
        out.append(SealingConfirmed(**base, decided_by=proposal.members,
                                    confirmed_on=cmd.today))
    return out


def decide_lift_sealing(state: Inspection, cmd: LiftSealing) -> list[InspectionEvent]:
    """Lift a sealing in force."""
    hazard = find_hazard(state, cmd.hazard_id)
    if hazard.sealing not in ("sealed", "sealed_unconfirmed"):
        raise Conflict("该隐患部位未被查封")
    require({"reason": [] if cmd.reason.strip() else ["不能为空"]})
    return [SealingLifted(**hazard_base(state, hazard), reason=cmd.reason.strip(),
                          lifted_on=cmd.today)]
