"""The serious-dishonesty list (严重失信主体名单) and its joint-punishment measures.

管理办法 art. 11: a listing leaves the list before its end only on a decision taken once the
minimum period (ListingRules.removal_after_years, 2 years) has passed since the listing —
removal on application or credit repair alike. A listing that was itself wrong is not removed
but corrected (ListingCorrected, with its reason): by the department that lists (civil
affairs), at any time; it leaves public view and its credit record is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from credit.domain.errors import Conflict, Forbidden, InvalidCommand, NotFound
from credit.domain.events import (
    CreditRepairDecided,
    JointMeasureExecuted,
    JointMeasureIssued,
    JointMeasureLifted,
    JointMeasureOverdue,
    ListingCorrected,
    ListingEvent,
    ResponsiblePerson,
    SeriousDishonestyDelisted,
    SeriousDishonestyListed,
    SeriousDishonestyProposalRejected,
    SeriousDishonestyProposed,
)
from credit.domain.listing_state import Dishonesty, Listing, MeasureState
from credit.domain.model import add_months
from credit.domain.ports import WorkCalendar
from credit.domain.rules import ListingRules

GROUNDS = ("outside_charter_scope", "harm_to_elders", "fraud_or_illegal_fundraising",
           "major_fire_hazard_overdue", "safety_accident", "subsidy_fraud",
           "obstructing_inspection", "no_annual_report_or_disclosure", "dishonest_debtor",
           "other_serious_violation")
# The department that decides listings and so owns them (管理办法: 民政部门).
LISTING_DEPARTMENT = "civil_affairs"


@dataclass(frozen=True)
class Propose:
    """Step one: a department (or a mapped event) proposes listing an institution."""

    uscc: str
    institution_name: str
    ground: str
    ground_detail: str
    responsible_persons: tuple[ResponsiblePerson, ...]
    proposed_by: str
    today: date
    source_event_id: str | None = None
    auto: bool = False


@dataclass(frozen=True)
class Decide:
    """Step two: civil affairs lists (approve) or rejects the open proposal."""

    approve: bool
    decision_no: str
    reason: str
    today: date
    responsible_persons: tuple[ResponsiblePerson, ...] = field(default_factory=tuple)


def decide_propose(state: Dishonesty, cmd: Propose) -> list[ListingEvent]:
    """One open proposal or listing at a time; a mapped event proposes at most once."""
    if cmd.source_event_id and cmd.source_event_id in state.source_events:
        return []
    current = state.current
    if current is not None and current.status in ("proposed", "listed"):
        if cmd.auto:
            return []  # already under way: the hazard is evidence, not a second proposal
        raise Conflict(f"机构 {cmd.uscc} 已有待决定的提议或正在名单中")
    return [SeriousDishonestyProposed(
        uscc=cmd.uscc, listing_id=f"{cmd.uscc}-{state.cycles + 1}",
        institution_name=cmd.institution_name, ground=cmd.ground,
        ground_detail=cmd.ground_detail, responsible_persons=cmd.responsible_persons,
        proposed_on=cmd.today, proposed_by=cmd.proposed_by,
        source_event_id=cmd.source_event_id, auto=cmd.auto)]


def _current(state: Dishonesty) -> Listing:
    if state.current is None:
        raise NotFound("该机构没有列入严重失信名单的提议或记录")
    return state.current


def decide_decision(state: Dishonesty, cmd: Decide, rules: ListingRules,
                    calendar: WorkCalendar) -> list[ListingEvent]:
    """List with the catalogue's measures (one per department and measure), or reject."""
    cur = _current(state)
    if cur.status != "proposed":
        if cur.decision_no == cmd.decision_no:
            return []  # a retried decision
        raise Conflict("没有待决定的列入提议")
    if not cmd.approve:
        return [SeriousDishonestyProposalRejected(
            uscc=state.uscc, listing_id=cur.listing_id, reason=cmd.reason,
            decided_on=cmd.today)]
    listed = SeriousDishonestyListed(
        uscc=state.uscc, listing_id=cur.listing_id, institution_name=cur.institution_name,
        ground=cur.ground, ground_detail=cur.ground_detail,
        responsible_persons=cmd.responsible_persons or cur.responsible_persons,
        decision_no=cmd.decision_no, decided_on=cmd.today,
        listed_until=add_months(cmd.today, 12 * rules.period_years),
        removal_allowed_from=add_months(cmd.today, 12 * rules.removal_after_years),
        period_years=rules.period_years)
    due = calendar.add_workdays(cmd.today, rules.execute_within_workdays)
    return [listed, *(JointMeasureIssued(
        uscc=state.uscc, listing_id=cur.listing_id,
        measure_id=f"{cur.listing_id}.{m.department}.{m.code}", department=m.department,
        measure_code=m.code, measure_text=m.text, issued_on=cmd.today, due_by=due)
        for m in rules.measures)]


def _listed(state: Dishonesty) -> Listing:
    cur = _current(state)
    if cur.status != "listed":
        raise Conflict("该机构当前不在严重失信名单中")
    return cur


def decide_execute(state: Dishonesty, measure_id: str, department: str, note: str,
                   today: date) -> list[ListingEvent]:
    """The measure's own department reports it executed; once."""
    cur = _current(state)
    m = cur.measures.get(measure_id)
    if m is None:
        raise NotFound(f"没有联合惩戒措施 {measure_id}")
    if department != m.department:
        raise Forbidden(f"该措施由 {m.department} 执行，{department} 不能报告")
    if m.executed_on is not None:
        return []
    if m.lifted_on is not None:
        raise Conflict("该措施已随移出名单解除")
    return [JointMeasureExecuted(
        uscc=state.uscc, listing_id=cur.listing_id, measure_id=measure_id,
        department=m.department, executed_on=today, note=note, late=today > m.due_by)]


def _delist(state: Dishonesty, cur: Listing, reason: str, today: date,
            decision_no: str | None) -> list[ListingEvent]:
    delisted = SeriousDishonestyDelisted(
        uscc=state.uscc, listing_id=cur.listing_id, reason=reason, delisted_on=today,
        decision_no=decision_no)
    return [delisted, *_lift_open_measures(state, cur, today, reason)]


def _lift_open_measures(state: Dishonesty, cur: Listing, today: date,
                        reason: str) -> list[JointMeasureLifted]:
    return [JointMeasureLifted(
        uscc=state.uscc, listing_id=cur.listing_id, measure_id=mid, department=m.department,
        lifted_on=today, reason=reason)
        for mid, m in sorted(cur.measures.items()) if m.lifted_on is None]


def check_minimum_period(cur: Listing, today: date, what: str) -> None:
    """Art. 11: nothing takes a listing off the list before ``removal_allowed_from``."""
    if cur.removal_allowed_from is None or today < cur.removal_allowed_from:
        raise Conflict(f"列入未满最短期限，{cur.removal_allowed_from} 起方可{what}"
                       "（列入有误的，应作更正决定）")


def decide_removal(state: Dishonesty, no_new_serious: bool, obligations_done: bool,
                   decision_no: str, today: date) -> list[ListingEvent]:
    """Removal on application after the minimum period, if either condition of art. 11 holds."""
    cur = _current(state)
    if cur.status == "delisted" and cur.decision_no_delisted == decision_no:
        return []
    cur = _listed(state)
    check_minimum_period(cur, today, "申请移出")
    if not (no_new_serious or obligations_done):
        raise InvalidCommand({"no_new_serious_dishonesty": [
            "须无新的严重失信行为，或已履行义务并整改"]})
    return _delist(state, cur, "removal_on_application", today, decision_no)


def decide_repair(state: Dishonesty, approved: bool, decision_no: str, reason: str,
                  today: date) -> list[ListingEvent]:
    """Credit repair (信用修复) has its own decision; approval delists and lifts the measures,
    and may be given only once the minimum period has passed (a refusal may come any time)."""
    cur = _current(state)
    if decision_no in cur.repair_decisions:
        return []
    cur = _listed(state)
    if approved:
        check_minimum_period(cur, today, "准予信用修复并移出名单")
    decided = CreditRepairDecided(
        uscc=state.uscc, listing_id=cur.listing_id, decision_no=decision_no,
        approved=approved, reason=reason, decided_on=today)
    return [decided, *(_delist(state, cur, "credit_repair", today, decision_no)
                       if approved else [])]


def decide_correct(state: Dishonesty, department: str, decision_no: str, reason: str,
                   today: date) -> list[ListingEvent]:
    """A wrong listing is corrected, not removed: its own department decides, with a reason;
    it leaves public view, its credit record is withdrawn and its open measures are lifted."""
    cur = _current(state)
    if department != LISTING_DEPARTMENT:
        raise Forbidden(f"名单由 {LISTING_DEPARTMENT} 列入，{department} 不能作更正决定")
    if cur.status == "corrected":
        if cur.correction_decision_no == decision_no:
            return []  # a retried correction
        raise Conflict("该列入记录已更正")
    if cur.status not in ("listed", "delisted"):
        raise Conflict("没有可更正的列入决定（待决定的提议请作不予列入决定）")
    if not reason.strip():
        raise InvalidCommand({"reason": ["更正须说明列入有误的理由"]})
    corrected = ListingCorrected(
        uscc=state.uscc, listing_id=cur.listing_id, decision_no=decision_no,
        reason=reason.strip(), department=department, corrected_on=today,
        was_listed=cur.status == "listed")
    return [corrected, *_lift_open_measures(state, cur, today, "listing_corrected")]


def decide_check(state: Dishonesty, today: date) -> list[ListingEvent]:
    """Scheduler: expire a listing at the end of its period, else flag overdue measures once."""
    cur = state.current
    if cur is None or cur.status != "listed":
        return []
    if cur.listed_until is not None and today >= cur.listed_until:
        return _delist(state, cur, "expired", today, None)
    return [JointMeasureOverdue(
        uscc=state.uscc, listing_id=cur.listing_id, measure_id=mid, department=m.department,
        due_by=m.due_by, detected_on=today)
        for mid, m in sorted(cur.measures.items()) if _overdue(m, today)]


def _overdue(m: MeasureState, today: date) -> bool:
    return (m.executed_on is None and m.lifted_on is None and not m.overdue_flagged
            and today > m.due_by)
