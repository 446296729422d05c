"""Inspections: start (>= 2 inspectors), record items, complete (immutable), correct.

Only the department that opened an inspection records its findings (items, completion,
corrections); a major hazard's collective determination names >= 3 registered, active
officers of that department (officials.member_errors), and the inspection completes only
when each of them has agreed from their own account (CollectiveDeterminationConfirmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fire_safety.domain.checklist import Template
from fire_safety.domain.errors import Conflict, Forbidden, InvalidCommand, NotFound, require
from fire_safety.domain.events import (
    CollectiveDeterminationConfirmed,
    FireHazardIdentified,
    FireInspectionCompleted,
    FireInspectionCorrected,
    FireInspectionItemRecorded,
    FireInspectionStarted,
    InspectionEvent,
    MajorHazardDetermined,
)
from fire_safety.domain.model import INSPECTOR_DEPARTMENTS, Inspector, distinct
from fire_safety.domain.officials import Directory, MemberRule, member_errors
from fire_safety.domain.ports import WorkCalendar
from fire_safety.domain.rules import Rules
from fire_safety.domain.state import Inspection


@dataclass(frozen=True)
class StartInspection:
    """Open an inspection of one institution against a checklist version."""

    inspection_id: str
    institution_uscc: str
    institution_name: str
    kind: str
    inspection_date: date
    inspectors: tuple[Inspector, ...]
    task_id: str | None
    template: Template
    actor_dept: str
    today: date


@dataclass(frozen=True)
class RecordItem:
    """The outcome of one checklist item; a failure names its hazard level."""

    inspection_id: str
    item_code: str
    outcome: str
    evidence: str
    level: str | None = None
    determined_by: tuple[str, ...] = ()
    actor_dept: str = ""  # the recording principal's department (token role)


@dataclass(frozen=True)
class CompleteInspection:
    inspection_id: str
    today: date
    actor_dept: str


@dataclass(frozen=True)
class ConfirmDetermination:
    """A named member's own answer on an item recorded as a major hazard; ``member`` is the
    acting account (the token's subject), never a name taken from the request body."""

    inspection_id: str
    item_code: str
    member: str
    agree: bool
    today: date


@dataclass(frozen=True)
class CorrectInspection:
    """A correction of a completed record, kept beside it (the record never changes)."""

    inspection_id: str
    item_code: str | None
    note: str
    reason: str
    today: date
    actor_dept: str


def require_recorder(state: Inspection, actor_dept: str) -> None:
    """Findings are recorded only by the inspection's own department (admin included: no)."""
    allowed = state.recording_departments
    if actor_dept not in allowed:
        raise Forbidden(f"只有本次检查的承办部门（{'、'.join(allowed)}）可以记录检查结果，"
                        f"{actor_dept} 不能")


def collective_rule(state: Inspection, department: str, rules: Rules) -> MemberRule:
    """GB 35181: a major hazard is determined collectively by >= 3 officers of the department."""
    return MemberRule(department, ("officer",), rules.collective_min, state.institution_uscc,
                      "集体讨论判定人员")


def check_inspectors(cmd: StartInspection, rules: Rules) -> list[str]:
    """Messages about the inspection team (>= 2 distinct people of allowed departments)."""
    ids = distinct([i.user_id for i in cmd.inspectors])
    allowed = INSPECTOR_DEPARTMENTS.get(cmd.kind, ())
    msgs = []
    if len(ids) < rules.min_inspectors or len(ids) != len(cmd.inspectors):
        msgs.append(f"检查人员不得少于 {rules.min_inspectors} 名且不得重复")
    wrong = sorted({i.department for i in cmd.inspectors} - set(allowed))
    if wrong:
        msgs.append(f"该类检查的检查人员只能来自：{'、'.join(allowed)}")
    return msgs


def decide_start(state: Inspection, cmd: StartInspection, rules: Rules) -> list[InspectionEvent]:
    """First start: FireInspectionStarted; an existing id is a conflict."""
    if state.exists:
        raise Conflict(f"检查 {cmd.inspection_id} 已存在")
    if cmd.actor_dept not in {d for ds in INSPECTOR_DEPARTMENTS.values() for d in ds}:
        raise Forbidden(f"{cmd.actor_dept} 不是检查部门，不能登记检查（检查由承办部门登记）")
    allowed = INSPECTOR_DEPARTMENTS.get(cmd.kind, ())
    require({
        "inspectors": check_inspectors(cmd, rules),
        "inspection_date": ["检查日期不能晚于今天"] if cmd.inspection_date > cmd.today else [],
        "kind": [] if cmd.actor_dept in allowed else
        [f"{cmd.actor_dept} 不能登记此类检查"],
        "institution_name": [] if cmd.institution_name.strip() else ["不能为空"],
    })
    return [FireInspectionStarted(
        inspection_id=cmd.inspection_id, institution_uscc=cmd.institution_uscc,
        institution_name=cmd.institution_name.strip(), kind=cmd.kind,
        department=cmd.actor_dept, inspection_date=cmd.inspection_date,
        inspectors=tuple(cmd.inspectors), task_id=cmd.task_id,
        template_id=cmd.template.template_id, template_version=cmd.template.version,
        items=cmd.template.items)]


def open_inspection(state: Inspection, inspection_id: str) -> Inspection:
    """The inspection while it may still change, else NotFound / Conflict."""
    if not state.exists:
        raise NotFound(f"检查 {inspection_id} 不存在")
    if state.completed_on is not None:
        raise Conflict("检查已完成，记录不可更改；如需更正请提交更正说明")
    return state


def check_result(cmd: RecordItem, rules: Rules, state: Inspection,
                 directory: Directory) -> dict[str, list[str]]:
    """Level and determination rules of one item outcome."""
    errors: dict[str, list[str]] = {"level": [], "determined_by": [], "evidence": []}
    if cmd.outcome in ("fail", "corrected_on_spot") and not cmd.evidence.strip():
        errors["evidence"].append("不合格或当场改正的项须记录证据说明")
    if cmd.outcome != "fail":
        if cmd.level is not None or cmd.determined_by:
            errors["level"].append("只有不合格项才有隐患等级")
        return errors
    if cmd.level is None:
        errors["level"].append("不合格项须注明隐患等级")
    if cmd.level == "major":
        errors["determined_by"] += member_errors(
            cmd.determined_by, collective_rule(state, cmd.actor_dept, rules), directory)
    if cmd.level != "major" and cmd.determined_by:
        errors["determined_by"].append("仅重大火灾隐患需要集体判定人员")
    return errors


def decide_record(state: Inspection, cmd: RecordItem, rules: Rules,
                  directory: Directory) -> list[InspectionEvent]:
    """Record (or re-record before completion) one item; identical again: nothing."""
    if not state.exists:
        raise NotFound(f"检查 {cmd.inspection_id} 不存在")
    require_recorder(state, cmd.actor_dept)
    state = open_inspection(state, cmd.inspection_id)
    if state.item(cmd.item_code) is None:
        raise InvalidCommand({"item_code": [f"检查表中没有 {cmd.item_code}"]})
    require(check_result(cmd, rules, state, directory))
    people = tuple(distinct(list(cmd.determined_by)))
    previous = state.results.get(cmd.item_code)
    if previous and (previous.outcome, previous.evidence, previous.level,
                     previous.determined_by) == (cmd.outcome, cmd.evidence.strip(), cmd.level,
                                                 people):
        return []
    return [FireInspectionItemRecorded(
        inspection_id=state.inspection_id, institution_uscc=state.institution_uscc,
        item_code=cmd.item_code, outcome=cmd.outcome, evidence=cmd.evidence.strip(),
        level=cmd.level, determined_by=people)]


def decide_confirm_determination(state: Inspection,
                                 cmd: ConfirmDetermination) -> list[InspectionEvent]:
    """Each member named for a major item answers once, from their own account, while the
    inspection is open; the same answer again is a retry, a changed one a conflict.
    Re-recording the item (other members, another level) starts the answers afresh."""
    state = open_inspection(state, cmd.inspection_id)
    result = state.results.get(cmd.item_code)
    if result is None or result.level != "major" or not result.determined_by:
        raise Conflict(f"{cmd.item_code} 没有待集体判定的重大火灾隐患")
    if cmd.member not in result.determined_by:
        raise Forbidden(f"{cmd.member} 不是 {cmd.item_code} 集体判定的成员，只有成员本人可以确认")
    given = dict(result.confirmations).get(cmd.member)
    if given is not None:
        if given == cmd.agree:
            return []
        raise Conflict("已经确认过，意见不能更改")
    return [CollectiveDeterminationConfirmed(
        inspection_id=state.inspection_id, institution_uscc=state.institution_uscc,
        item_code=cmd.item_code, member=cmd.member, agree=cmd.agree, confirmed_on=cmd.today)]


def unconfirmed_determinations(state: Inspection) -> list[str]:
    """Why the inspection cannot complete yet: major items whose named members have not all
    agreed, each from their own account (GB 35181: a collective determination)."""
    msgs = []
    for code, result in state.results.items():
        if result.outcome != "fail" or result.level != "major":
            continue
        if result.dissenting():
            msgs.append(f"{code}：{'、'.join(result.dissenting())} 不同意判定为重大火灾隐患，"
                        "请重新记录该项（改换等级或判定人员）")
        elif result.waiting_for():
            msgs.append(f"{code}：集体判定尚待 {'、'.join(result.waiting_for())} 本人确认")
    return msgs


def _counts(state: Inspection) -> dict[str, int]:
    outcomes = [r.outcome for r in state.results.values()]
    return {k: outcomes.count(k) for k in ("pass", "fail", "corrected_on_spot",
                                           "not_applicable")}


def decide_complete(state: Inspection, cmd: CompleteInspection, calendar: WorkCalendar,
                    rules: Rules) -> list[InspectionEvent]:
    """Every item recorded: completion, then one hazard per failed item."""
    if state.exists:
        require_recorder(state, cmd.actor_dept)
    if state.exists and state.completed_on is not None:
        return []
    state = open_inspection(state, cmd.inspection_id)
    missing = [i.code for i in state.items if i.code not in state.results]
    require({"items": ([f"尚未记录：{', '.join(missing)}"] if missing else [])
             + unconfirmed_determinations(state)})
    assert state.inspection_date is not None
    due = calendar.add_workdays(state.inspection_date, rules.service_workdays)
    failed = [i for i in state.items if state.results[i.code].outcome == "fail"]
    hazard_ids = [hazard_id(state.inspection_id, i.code) for i in failed]
    events: list[InspectionEvent] = [FireInspectionCompleted(
        inspection_id=state.inspection_id, institution_uscc=state.institution_uscc,
        institution_name=state.institution_name, kind=state.kind,
        inspection_date=state.inspection_date, completed_on=cmd.today, task_id=state.task_id,
        inspectors=tuple(i.user_id for i in state.inspectors), template_id=state.template_id,
        template_version=state.template_version, counts=_counts(state),
        hazard_ids=tuple(hazard_ids), service_due=due)]
    for item in failed:
        events += _hazard_events(state, item.code, item.title, cmd.today, due)
    return events


def hazard_id(inspection_id: str, item_code: str) -> str:
    """Derived, so a hazard is named the same in every replay."""
    return f"{inspection_id}.{item_code}"


def _hazard_events(state: Inspection, code: str, title: str, today: date,
                   due: date) -> list[InspectionEvent]:
    result = state.results[code]
    assert result.level is not None
    base = {"hazard_id": hazard_id(state.inspection_id, code),
            "inspection_id": state.inspection_id, "institution_uscc": state.institution_uscc,
            "institution_name": state.institution_name}
    events: list[InspectionEvent] = [FireHazardIdentified(
        **base, item_code=code, item_title=title, level=result.level,
        identified_on=today, evidence=result.evidence, service_due=due)]
    if result.level == "major":
        events.append(MajorHazardDetermined(
            **base, method="collective", members=result.determined_by,
            agreeing=result.determined_by, determined_on=today))
    return events


def decide_correct(state: Inspection, cmd: CorrectInspection) -> list[InspectionEvent]:
    """Only completed inspections take corrections; open ones are simply re-recorded."""
    if not state.exists:
        raise NotFound(f"检查 {cmd.inspection_id} 不存在")
    require_recorder(state, cmd.actor_dept)
    if state.completed_on is None:
        raise Conflict("检查尚未完成，请直接重新记录该项")
    unknown = cmd.item_code is not None and state.item(cmd.item_code) is None
    require({"item_code": [f"检查表中没有 {cmd.item_code}"] if unknown else [],
             "note": [] if cmd.note.strip() else ["不能为空"],
             "reason": [] if cmd.reason.strip() else ["不能为空"]})
    return [FireInspectionCorrected(
        inspection_id=state.inspection_id, institution_uscc=state.institution_uscc,
        item_code=cmd.item_code, note=cmd.note.strip(), reason=cmd.reason.strip(),
        corrected_on=cmd.today)]
