"""A targeted inspection (重点检查, stream targeted-<inspection id>): opened by an orange or
red risk alert for the departments its reasons name, outside the random draw, with a
deadline in working days; its result is recorded and then published like a random
inspection's, marked as targeted with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from inspection.domain.errors import Conflict, InvalidCommand, NotFound
from inspection.domain.events import (
    TargetedEvent,
    TargetedInspectionOpened,
    TargetedInspectionResultPublished,
    TargetedInspectionResultRecorded,
)
from inspection.domain.model import FOLLOW_UPS

OPENING_LEVELS = ("orange", "red")


@dataclass(frozen=True)
class Targeted:
    opened: TargetedInspectionOpened | None = None
    result: TargetedInspectionResultRecorded | None = None
    published_on: date | None = None

    @property
    def exists(self) -> bool:
        return self.opened is not None

    @property
    def status(self) -> str:
        return ("published" if self.published_on else "recorded" if self.result
                else "open" if self.opened else "")


def initial() -> Targeted:
    return Targeted()


def evolve(state: Targeted, event: TargetedEvent) -> Targeted:
    match event:
        case TargetedInspectionOpened():
            return Targeted(opened=event)
        case TargetedInspectionResultRecorded():
            return replace(state, result=event)
        case TargetedInspectionResultPublished():
            return replace(state, published_on=event.published_on)
    return state


def inspection_id_for(alert_id: str) -> str:
    """One targeted inspection per alert."""
    return f"TI-{alert_id}"


def decide_open(state: Targeted, opened: TargetedInspectionOpened) -> list[TargetedEvent]:
    """Open once per alert; an escalation of the same alert opens nothing more."""
    if state.exists or opened.level not in OPENING_LEVELS or not opened.departments:
        return []
    return [opened]


@dataclass(frozen=True)
class RecordResult:
    inspected_on: date
    inspectors: tuple[str, ...]
    findings: str
    problem_found: bool
    follow_up: str
    today: date


def decide_record(state: Targeted, cmd: RecordResult) -> list[TargetedEvent]:
    o = state.opened
    if o is None:
        raise NotFound("没有该重点检查")
    if state.published_on is not None:
        raise Conflict("结果已公开，不能再修改")
    errors: dict[str, list[str]] = {}
    if cmd.inspected_on > cmd.today or cmd.inspected_on < o.opened_on:
        errors["inspected_on"] = [f"检查日期须在 {o.opened_on} 与今天之间"]
    if len(set(cmd.inspectors)) < 2:
        errors["inspectors"] = ["至少两名执法人员（行政处罚法第四十二条）"]
    if cmd.follow_up not in FOLLOW_UPS:
        errors["follow_up"] = [f"须为 {', '.join(FOLLOW_UPS)} 之一"]
    if cmd.problem_found != (cmd.follow_up != "none") and cmd.follow_up != "none":
        errors["problem_found"] = ["有后续处理时须为发现问题"]
    if errors:
        raise InvalidCommand(errors)
    recorded = TargetedInspectionResultRecorded(
        o.inspection_id, o.alert_id, o.uscc, o.departments, o.reasons, cmd.inspected_on,
        tuple(dict.fromkeys(cmd.inspectors)), cmd.findings, cmd.problem_found, cmd.follow_up,
        cmd.today)
    if state.result is not None and replace(state.result, recorded_on=cmd.today) == recorded:
        return []  # the same result again
    return [recorded]


def decide_publish(state: Targeted, today: date) -> list[TargetedEvent]:
    r = state.result
    if state.opened is None:
        raise NotFound("没有该重点检查")
    if state.published_on is not None:
        return []
    if r is None:
        raise Conflict("尚未录入检查结果")
    return [TargetedInspectionResultPublished(
        r.inspection_id, r.alert_id, r.uscc, r.departments, r.reasons, r.inspected_on,
        r.inspectors, r.findings, r.problem_found, r.follow_up, today)]
