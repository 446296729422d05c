"""Administrative penalties (行政处罚) and the rules of their disclosure (总局令第45号).

Ownership (art. 16, 谁办案、谁录入、谁负责): a decision records the deciding department (the
recording caller's, never taken from the body) and its district (``district_code``); only that
department, and only callers whose region covers that district, may publish, withdraw or end
the disclosure early. PenaltyDecided v1 (before the department was recorded) is upcast on
replay: the department is read from the authority's name (upcasters.AUTHORITY_KEYWORDS); a
name that names no department leaves the decision without an owner, and nobody may act on it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from credit.domain.errors import Conflict, Forbidden, InvalidCommand, NotFound
from credit.domain.events import (
    EarlyEndConditions,
    Party,
    PenaltyDecided,
    PenaltyDisclosureOverdue,
    PenaltyDisplayEndedEarly,
    PenaltyEvent,
    PenaltyPublished,
    PenaltyWithdrawn,
)
from credit.domain.events import Sanction as Sanction  # re-exported for the API and tests
from credit.domain.model import add_months
from credit.domain.ports import WorkCalendar
from credit.domain.rules import PenaltyRules
from shared.domain import Event, within_region

SANCTION_KINDS = ("warning", "public_criticism", "fine", "confiscation", "suspension",
                  "licence_revocation", "employment_ban")
HEAVY_KINDS = frozenset({"suspension", "licence_revocation", "employment_ban"})
TIMED_KINDS = frozenset({"suspension", "employment_ban"})
CHANGES = ("changed", "revoked", "voided")
CONDITIONS = ("obligations_met", "harm_removed", "no_repeat", "not_listed")
# Departments that decide penalties (the account administrator decides nothing).
DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
               "public_security", "finance")


@dataclass(frozen=True)
class Actor:
    """Who acts: the department of the token, and its region ('' = a token not yet scoped)."""

    department: str
    region: str = ""

    def covers(self, district_code: str) -> bool:
        return not self.region or within_region(self.region, district_code)


@dataclass(frozen=True)
class RecordPenalty:
    """The deciding department records a penalty decision."""

    penalty_id: str
    decision_no: str
    party: Party  # already masked when the party is a natural person
    violation_type: str
    legal_basis: str
    sanctions: tuple[Sanction, ...]
    authority: str
    district_code: str
    decided_on: date
    summary: str
    today: date


@dataclass(frozen=True)
class Penalty:
    """State of stream penalty-<id>."""

    decided: PenaltyDecided | None = None
    published_on: date | None = None
    display_until: date | None = None
    overdue_flagged: bool = False
    withdrawn_on: date | None = None
    ended_early_on: date | None = None

    @property
    def uscc(self) -> str | None:
        return self.decided.party.uscc if self.decided else None

    @property
    def department(self) -> str | None:
        """The deciding department (None: a v1 decision whose authority names none)."""
        return self.decided.department if self.decided else None


def check_may_record(cmd: RecordPenalty, actor: Actor) -> None:
    """A department records its own decisions, and only within its region."""
    if actor.department not in DEPARTMENTS:
        raise Forbidden(f"{actor.department} 不是作出行政处罚的部门，不能录入")
    if not actor.covers(cmd.district_code):
        raise Forbidden(f"决定机关所在地 {cmd.district_code} 不在本账号辖区 {actor.region} 内")


def check_owner(state: Penalty, actor: Actor) -> PenaltyDecided:
    """谁办案、谁负责: only the deciding department, within its district, acts on it (403)."""
    d = _decided(state)
    owner = state.department
    if owner is None:
        raise Forbidden("该历史处罚记录未载明作出决定的部门，任何部门均不能代为操作")
    if actor.department != owner:
        raise Forbidden(f"该处罚由 {owner} 作出，{actor.department} 无权公示、撤下或提前停止公示")
    if not actor.covers(d.district_code):
        raise Forbidden(f"该处罚决定机关所在地 {d.district_code} 不在本账号辖区 "
                        f"{actor.region} 内")
    return d


def display_period(sanctions: tuple[Sanction, ...], district_code: str,
                   rules: PenaltyRules) -> tuple[str, int]:
    """(rule, months): none for warnings only, short (3 months), standard (3 years) or actual."""
    shown = [s for s in sanctions if s.kind != "warning"]
    if not shown:
        return "none", 0
    low = rules.low_fine_fen(district_code)
    if all(s.kind == "public_criticism" or (s.kind == "fine" and (s.amount_fen or 0) <= low)
           for s in shown):
        return "short", rules.short_display_months
    longest = max((s.months or 0) for s in shown if s.kind in TIMED_KINDS) if any(
        s.kind in TIMED_KINDS for s in shown) else 0
    if longest > rules.standard_display_months:  # art. 13: longer restrictions show as long
        return "actual", longest
    return "standard", rules.standard_display_months


def check_sanctions(cmd: RecordPenalty) -> None:
    """Amounts where money is taken, months where a restriction lasts; decided in the past."""
    errors: dict[str, list[str]] = {}
    for i, s in enumerate(cmd.sanctions):
        if s.kind == "fine" and not s.amount_fen:
            errors[f"sanctions.{i}.amount_fen"] = ["罚款须填写金额（分，> 0）"]
        if s.kind in TIMED_KINDS and not s.months:
            errors[f"sanctions.{i}.months"] = ["责令停业、从业禁止须填写期限（月，> 0）"]
    if cmd.decided_on > cmd.today:
        errors["decided_on"] = ["决定日期不能晚于今天"]
    if errors:
        raise InvalidCommand(errors)


def decide_record(state: Penalty, cmd: RecordPenalty, actor: Actor, calendar: WorkCalendar,
                  rules: PenaltyRules) -> list[PenaltyEvent]:
    """Record once; the same decision again: nothing; a different one under the number: 409.

    The deciding department is the recording caller's (art. 16), its district the decision's.
    """
    check_may_record(cmd, actor)
    check_sanctions(cmd)
    rule, months = display_period(cmd.sanctions, cmd.district_code, rules)
    publish = rule != "none"
    due = calendar.add_workdays(cmd.decided_on, rules.publish_within_workdays) if publish else None
    decided = PenaltyDecided(
        penalty_id=cmd.penalty_id, decision_no=cmd.decision_no, party=cmd.party,
        violation_type=cmd.violation_type, legal_basis=cmd.legal_basis,
        sanctions=cmd.sanctions, authority=cmd.authority, district_code=cmd.district_code,
        decided_on=cmd.decided_on, summary=cmd.summary, publish_required=publish,
        publish_due_by=due, due_provisional=bool(due and calendar.is_provisional(due.year)),
        heavy=any(s.kind in HEAVY_KINDS for s in cmd.sanctions), display_rule=rule,
        display_months=months, department=actor.department)
    if state.decided is not None:
        if state.decided == decided:
            return []
        raise Conflict(f"处罚决定书 {cmd.decision_no} 已录入且内容不同")
    return [decided]


def _decided(state: Penalty) -> PenaltyDecided:
    if state.decided is None:
        raise NotFound("没有该行政处罚记录")
    return state.decided


def decide_publish(state: Penalty, actor: Actor, today: date) -> list[PenaltyEvent]:
    """Publish once (already published: nothing); warnings-only decisions are not published."""
    d = check_owner(state, actor)
    if not d.publish_required or d.publish_due_by is None:
        raise Conflict("仅警告的行政处罚不予公示")
    if state.withdrawn_on is not None:
        raise Conflict("处罚决定已被变更或撤销，不能公示")
    if state.published_on is not None:
        return []
    due = d.publish_due_by
    return [PenaltyPublished(
        penalty_id=d.penalty_id, uscc=state.uscc, published_on=today,
        display_until=add_months(today, d.display_months), display_rule=d.display_rule,
        display_months=d.display_months, due_by=due, late=today > due)]


def decide_check_overdue(state: Penalty, today: date) -> list[PenaltyEvent]:
    """Flag once a publishable decision still unpublished after its due date."""
    d = state.decided
    if (d is None or not d.publish_required or d.publish_due_by is None or state.published_on
            or state.overdue_flagged or state.withdrawn_on or today <= d.publish_due_by):
        return []
    return [PenaltyDisclosureOverdue(
        penalty_id=d.penalty_id, uscc=state.uscc, decision_no=d.decision_no,
        authority=d.authority, due_by=d.publish_due_by, detected_on=today)]


def decide_withdraw(state: Penalty, actor: Actor, change: str, reason: str, revoked_on: date,
                    today: date, calendar: WorkCalendar,
                    rules: PenaltyRules) -> list[PenaltyEvent]:
    """Withdraw on a changed/revoked/voided decision; late if past 3 working days after it."""
    d = check_owner(state, actor)
    if state.withdrawn_on is not None:
        return []
    if revoked_on > today or revoked_on < d.decided_on:
        raise InvalidCommand({"revoked_on": ["须在决定日期与今天之间"]})
    by = calendar.add_workdays(revoked_on, rules.withdraw_within_workdays)
    return [PenaltyWithdrawn(
        penalty_id=d.penalty_id, uscc=state.uscc, change=change, reason=reason,
        revoked_on=revoked_on, withdraw_by=by, withdrawn_on=today, late=today > by,
        was_published=state.published_on is not None)]


def severity(decided: PenaltyDecided) -> str:
    """'ordinary' for public criticism or a low fine (3-month display), else 'severe'.

    Our mapping onto the NDRC classes (信用修复管理办法 2026: ordinary shown 3 months to 1
    year, severe 1 to 3 years): a 3-year display (art. 13) is in the severe range.
    """
    return "ordinary" if decided.display_rule == "short" else "severe"


def earliest_early_end(state: Penalty, rules: PenaltyRules) -> date | None:
    """The first day the display may be ended early: publication + the minimum period."""
    if state.decided is None or state.published_on is None:
        return None
    months = (rules.early_end_min_months_ordinary if severity(state.decided) == "ordinary"
              else rules.early_end_min_months_severe)
    return add_months(state.published_on, months)


def decide_end_early(state: Penalty, actor: Actor, conditions: dict[str, bool], today: date,
                     rules: PenaltyRules) -> list[PenaltyEvent]:
    """Art. 14: all four conditions, never for heavy penalties, only while on display, and
    only once the minimum period of its severity has passed since publication."""
    d = check_owner(state, actor)
    if d.heavy:
        raise Conflict("责令停产停业、吊销许可证件、从业禁止等较重处罚不得提前停止公示")
    if not on_display(state, today):  # unpublished, withdrawn, ended, or its period is over
        raise Conflict("该处罚当前不在公示中")
    earliest = earliest_early_end(state, rules)
    if earliest is not None and today < earliest:
        raise Conflict(f"公示未满最短期限，{earliest.isoformat()} 起方可申请提前停止公示")
    failed = [c for c in CONDITIONS if not conditions.get(c)]
    if failed:
        raise Conflict("提前停止公示须同时满足四项条件，未满足：" + "、".join(failed))
    return [PenaltyDisplayEndedEarly(
        penalty_id=d.penalty_id, uscc=state.uscc, ended_on=today,
        conditions=EarlyEndConditions(**{c: True for c in CONDITIONS}))]


def on_display(state: Penalty, today: date) -> bool:
    """Whether the public may see it today."""
    return bool(state.published_on and state.display_until and not state.withdrawn_on
                and not state.ended_early_on and today <= state.display_until)


def initial() -> Penalty:
    return Penalty()


def evolve(state: Penalty, event: Event) -> Penalty:
    """Apply one stored event; other types leave the state as it is."""
    match event:
        case PenaltyDecided():
            return replace(state, decided=event)
        case PenaltyPublished():
            return replace(state, published_on=event.published_on,
                           display_until=event.display_until)
        case PenaltyDisclosureOverdue():
            return replace(state, overdue_flagged=True)
        case PenaltyWithdrawn():
            return replace(state, withdrawn_on=event.withdrawn_on)
        case PenaltyDisplayEndedEarly():
            return replace(state, ended_early_on=event.ended_on)
    return state
