"""The complaint aggregate (stream complaint-<tracking number>) and its decisions.

Each routed department handles its own track: received -> accepted -> investigated ->
replied, or refused, or transferred to other departments (whose tracks open then). The
complaint closes when no track is left open; a duplicate closes by merging into another.
Every decision is idempotent: the same command twice stores its events once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from complaints.domain.events import (
    ComplaintAccepted,
    ComplaintClosed,
    ComplaintEvent,
    ComplaintInvestigated,
    ComplaintMerged,
    ComplaintOverdue,
    ComplaintPersonalDataErased,
    ComplaintRated,
    ComplaintReceived,
    ComplaintRefused,
    ComplaintReplied,
    ComplaintTransferred,
    Sealed,
)
from shared.domain import Conflict, InvalidCommand, NotFound

RECEIVED, ACCEPTED, INVESTIGATED = "received", "accepted", "investigated"
REPLIED, REFUSED, TRANSFERRED = "replied", "refused", "transferred"
OPEN_STAGES = (RECEIVED, ACCEPTED, INVESTIGATED)
FINDINGS = {"substantiated": "属实", "partly": "部分属实", "unsubstantiated": "不属实"}
RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
STAGE_NAMES = {RECEIVED: "待受理", ACCEPTED: "已受理，调查中", INVESTIGATED: "已调查，待答复",
               REPLIED: "已答复", REFUSED: "不予受理", TRANSFERRED: "已转办"}
Workdays = Callable[[date, date], int]  # working days after the first date up to the second


@dataclass(frozen=True)
class Track:
    """One department's handling of the complaint."""

    department: str
    stage: str
    accept_due: date
    opened_on: date
    reply_due: date | None = None
    finding: str = ""
    flagged: tuple[str, ...] = ()  # stages already reported overdue
    refusal: str = ""
    transferred_to: tuple[str, ...] = ()
    reply: Sealed | None = None
    replied_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


@dataclass(frozen=True)
class Complaint:
    complaint_id: str = ""
    channel: str = ""
    category: str = ""
    institution_uscc: str = ""
    institution_name: str = ""
    district: str = ""
    received_on: date | None = None
    anonymous: bool = True
    has_contact: bool = False
    sealed: Sealed | None = None
    tracks: dict[str, Track] = field(default_factory=dict)
    closed_on: date | None = None
    outcome: str = ""
    merged_into: str = ""
    rating: str = ""
    erased: bool = False
    findings: tuple[tuple[str, Sealed], ...] = ()

    @property
    def exists(self) -> bool:
        return bool(self.complaint_id)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def departments(self) -> tuple[str, ...]:
        """Every department that has (or had) a track: who may see the complaint."""
        return tuple(self.tracks)


def initial() -> Complaint:
    return Complaint()


def evolve(state: Complaint, event: ComplaintEvent) -> Complaint:
    match event:
        case ComplaintReceived():
            tracks = {d: Track(d, RECEIVED, event.accept_due, event.received_on)
                      for d in event.departments}
            return replace(state, complaint_id=event.complaint_id, channel=event.channel,
                           category=event.category, institution_uscc=event.institution_uscc,
                           institution_name=event.institution_name, district=event.district,
                           received_on=event.received_on, anonymous=event.anonymous,
                           has_contact=event.has_contact, sealed=event.sealed, tracks=tracks)
        case ComplaintAccepted():
            return _track(state, event.department, stage=ACCEPTED, reply_due=event.reply_due)
        case ComplaintRefused():
            return _track(state, event.department, stage=REFUSED, refusal=event.reason)
        case ComplaintTransferred():
            tracks = dict(state.tracks)
            tracks[event.department] = replace(tracks[event.department], stage=TRANSFERRED,
                                               transferred_to=event.to_departments)
            for d in event.to_departments:
                tracks[d] = Track(d, RECEIVED, event.accept_due, event.transferred_on)
            return replace(state, tracks=tracks)
        case ComplaintInvestigated():
            s = _track(state, event.department, stage=INVESTIGATED, finding=event.finding)
            return replace(s, findings=(*s.findings, (event.department, event.sealed)))
        case ComplaintReplied():
            return _track(state, event.department, stage=REPLIED, reply=event.sealed,
                          replied_on=event.replied_on)
        case ComplaintClosed():
            return replace(state, closed_on=event.closed_on, outcome=event.outcome)
        case ComplaintMerged():
            return replace(state, merged_into=event.into)
        case ComplaintOverdue():
            t = state.tracks[event.department]
            return _track(state, event.department, flagged=(*t.flagged, event.stage))
        case ComplaintRated():
            return replace(state, rating=event.rating)
        case ComplaintPersonalDataErased():
            return replace(state, erased=True)
    return state


def _track(state: Complaint, department: str, **changes: object) -> Complaint:
    tracks = dict(state.tracks)
    tracks[department] = replace(tracks[department], **changes)  # type: ignore[arg-type]
    return replace(state, tracks=tracks)


# -- commands ------------------------------------------------------------------------------


def decide_receive(state: Complaint, received: ComplaintReceived) -> list[ComplaintEvent]:
    """A new complaint is what was received; the same tracking number again stores nothing."""
    if state.exists:
        return []
    if not received.departments:
        raise InvalidCommand({"category": ["没有负责该类投诉的部门（请检查分派表）"]})
    return [received]


def _open_track(state: Complaint, department: str) -> Track:
    if not state.exists:
        raise NotFound("没有该投诉")
    track = state.tracks.get(department)
    if track is None:
        raise Conflict("该投诉未分派给本部门")
    return track


def _closing(state: Complaint, after: Complaint, today: date,
             workdays: Workdays) -> list[ComplaintEvent]:
    """ComplaintClosed once the decision leaves no track open."""
    if after.is_closed or any(t.is_open for t in after.tracks.values()):
        return []
    outcome = REPLIED if any(t.stage == REPLIED for t in after.tracks.values()) else REFUSED
    return [closed(after, outcome, today, workdays)]


def closed(state: Complaint, outcome: str, today: date, workdays: Workdays) -> ComplaintClosed:
    assert state.received_on is not None
    return ComplaintClosed(state.complaint_id, outcome, today,
                           workdays(state.received_on, today), state.category, state.district,
                           state.received_on, state.departments())


def _then_close(state: Complaint, events: list[ComplaintEvent], today: date,
                workdays: Workdays) -> list[ComplaintEvent]:
    after = state
    for e in events:
        after = evolve(after, e)
    return events + _closing(state, after, today, workdays)


def decide_accept(state: Complaint, department: str, today: date,
                  reply_due: date) -> list[ComplaintEvent]:
    track = _open_track(state, department)
    if track.stage in (ACCEPTED, INVESTIGATED, REPLIED):
        return []
    if track.stage != RECEIVED:
        raise Conflict(f"本部门已{STAGE_NAMES[track.stage]}，不能再受理")
    return [ComplaintAccepted(state.complaint_id, department, today, reply_due)]


def decide_refuse(state: Complaint, department: str, reason: str, today: date,
                  workdays: Workdays) -> list[ComplaintEvent]:
    track = _open_track(state, department)
    if track.stage == REFUSED and track.refusal == reason:
        return []
    if track.stage != RECEIVED:
        raise Conflict(f"本部门当前为“{STAGE_NAMES[track.stage]}”，只有待受理的投诉可以不予受理")
    if not reason.strip():
        raise InvalidCommand({"reason": ["不予受理须说明理由"]})
    return _then_close(state, [ComplaintRefused(state.complaint_id, department, reason, today)],
                       today, workdays)


def decide_transfer(state: Complaint, department: str, to: tuple[str, ...], reason: str,
                    today: date, accept_due: date) -> list[ComplaintEvent]:
    track = _open_track(state, department)
    if track.stage == TRANSFERRED and set(track.transferred_to) == set(to):
        return []
    if not track.is_open:
        raise Conflict(f"本部门当前为“{STAGE_NAMES[track.stage]}”，不能转办")
    targets = tuple(d for d in dict.fromkeys(to) if d != department)
    if not targets:
        raise InvalidCommand({"to_departments": ["须转给本部门以外的部门"]})
    busy = [d for d in targets if d in state.tracks and state.tracks[d].is_open]
    if busy:
        raise Conflict(f"{'、'.join(busy)} 已在办理该投诉")
    return [ComplaintTransferred(state.complaint_id, department, targets, reason, today,
                                 accept_due)]


def decide_investigate(state: Complaint, department: str, finding: str, sealed: Sealed,
                       today: date) -> list[ComplaintEvent]:
    track = _open_track(state, department)
    if track.stage in (INVESTIGATED, REPLIED) and track.finding == finding:
        return []
    if track.stage != ACCEPTED:
        raise Conflict(f"本部门当前为“{STAGE_NAMES[track.stage]}”，受理后才能登记调查结果")
    if finding not in FINDINGS:
        raise InvalidCommand({"finding": [f"须为 {', '.join(FINDINGS)} 之一"]})
    return [ComplaintInvestigated(state.complaint_id, department, finding, sealed, today)]


def decide_reply(state: Complaint, department: str, sealed: Sealed, today: date,
                 workdays: Workdays) -> list[ComplaintEvent]:
    track = _open_track(state, department)
    if track.stage == REPLIED:
        return []
    if track.stage != INVESTIGATED:
        raise Conflict(f"本部门当前为“{STAGE_NAMES[track.stage]}”，登记调查结果后才能答复")
    return _then_close(state, [ComplaintReplied(state.complaint_id, department, sealed, today)],
                       today, workdays)


def decide_merge(state: Complaint, department: str, into: str, other: Complaint,
                 today: date, workdays: Workdays) -> list[ComplaintEvent]:
    """Close ``state`` as a duplicate of ``other`` (same institution, still open)."""
    _open_track(state, department)
    if state.merged_into == into:
        return []
    if state.is_closed:
        raise Conflict("该投诉已办结，不能再合并")
    if into == state.complaint_id:
        raise InvalidCommand({"into": ["不能与自身合并"]})
    if not other.exists:
        raise InvalidCommand({"into": ["没有该编号的投诉"]})
    if other.institution_uscc != state.institution_uscc:
        raise InvalidCommand({"into": ["只能合并同一机构的重复投诉"]})
    if other.is_closed or other.merged_into:
        raise Conflict("被合并的投诉已办结，请合并到仍在办理的投诉")
    return [ComplaintMerged(state.complaint_id, into, department, today),
            closed(state, "merged", today, workdays)]


def decide_overdue(state: Complaint, today: date) -> list[ComplaintEvent]:
    """One ComplaintOverdue per track and stage once its deadline has passed (not on it)."""
    if not state.exists or state.is_closed:
        return []
    out: list[ComplaintEvent] = []
    for t in state.tracks.values():
        if t.stage == RECEIVED and today > t.accept_due and "accept" not in t.flagged:
            out.append(ComplaintOverdue(state.complaint_id, t.department, "accept",
                                        t.accept_due, today))
        elif (t.stage in (ACCEPTED, INVESTIGATED) and t.reply_due is not None
              and today > t.reply_due and "reply" not in t.flagged):
            out.append(ComplaintOverdue(state.complaint_id, t.department, "reply",
                                        t.reply_due, today))
    return out


def decide_rate(state: Complaint, rating: str, today: date) -> list[ComplaintEvent]:
    if not state.exists:
        raise NotFound("没有该投诉")
    if rating not in RATINGS:
        raise InvalidCommand({"rating": [f"须为 {', '.join(RATINGS)} 之一"]})
    if state.rating == rating:
        return []
    if state.rating:
        raise Conflict("已评价过，不能更改")
    if not state.is_closed or state.outcome != REPLIED:
        raise Conflict("答复办结后才能评价")
    return [ComplaintRated(state.complaint_id, rating, today)]


def decide_erase(state: Complaint, reason: str, today: date) -> list[ComplaintEvent]:
    if not state.exists:
        raise NotFound("没有该投诉")
    if state.erased:
        return []
    if not state.is_closed:
        raise Conflict("投诉办结后才能删除投诉人个人信息")
    if not reason.strip():
        raise InvalidCommand({"reason": ["须说明删除依据"]})
    return [ComplaintPersonalDataErased(state.complaint_id, reason, today)]
