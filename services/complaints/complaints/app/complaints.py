"""Use cases: receive a complaint (public form or hotline), handle it, let the complainant
follow and rate it, check deadlines, erase the complainant's data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from complaints.app import codes
from complaints.app.common import Deps, handlers_scope, load, run
from complaints.domain import complaint as dom
from complaints.domain.complaint import Complaint
from complaints.domain.events import ComplaintReceived
from complaints.domain.rules import CATEGORIES
from shared.authority import (
    BUSINESS_DUTIES,
    DEPARTMENT_NAMES,
    LEADER,
    WRITE_DUTIES,
    Authority,
    Scope,
    check,
)
from shared.clock import china_today
from shared.commands import Handled
from shared.domain import Conflict, NotFound, uscc_district
from shared.eventstore import CommitMeta, ConcurrencyConflict

log = logging.getLogger("complaints")


@dataclass(frozen=True)
class Submission:
    """What a complainant (or a hotline operator for them) tells us."""

    category: str
    description: str
    institution_uscc: str = ""
    institution_name: str = ""
    district: str = ""
    anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""

    def district_code(self) -> str:
        return uscc_district(self.institution_uscc) if self.institution_uscc else self.district

    def private(self) -> dict[str, Any]:
        """What is sealed: the words of the complaint and who made it."""
        return {"description": self.description, "name": self.contact_name,
                "phone": self.contact_phone}


@dataclass(frozen=True)
class Receipt:
    complaint_id: str
    check_code: str
    created: bool
    handled: Handled[Complaint]


def submit(d: Deps, sub: Submission, origin: str, channel: str,
           meta: CommitMeta) -> Receipt:
    """Store the complaint once per ``origin``; the same origin again with the same words
    answers the same receipt, with other words 409."""
    complaint_id = codes.tracking_number(d.secrets.code_key, origin)
    today = china_today(d.clock)
    district = sub.district_code()
    departments = d.rules.route(sub.category, district)
    accept_due = d.calendar.add_workdays(today, d.rules.accept_days(sub.category))
    existing, _ = load(d.store, complaint_id)
    if existing.exists:
        same = d.vault.open(complaint_id, existing.sealed) == sub.private()
        if not same or existing.category != sub.category:
            raise Conflict("该提交凭据已用于另一件投诉，请重新填写提交")
    sealed = d.vault.seal(complaint_id, sub.private())
    cmd = ComplaintReceived(complaint_id, channel, sub.category, sub.institution_uscc,
                            sub.institution_name, district, departments, sub.anonymous,
                            bool(sub.contact_phone or sub.contact_name), sealed, today,
                            accept_due)
    handled = run(d, complaint_id, lambda s: dom.decide_receive(s, cmd),
                  meta.authorized(Scope()))
    log.info("complaint %s received via %s, category %s, routed to %s", complaint_id,
             channel, sub.category, ",".join(departments))
    return Receipt(complaint_id, codes.check_code(d.secrets.code_key, complaint_id),
                   bool(handled.events), handled)


def _today(d: Deps) -> date:
    return china_today(d.clock)


def accept(d: Deps, complaint_id: str, who: Authority, meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)

    def decide(s: Complaint) -> list[Any]:
        due = d.calendar.add_workdays(today, d.rules.reply_days(s.category))
        return dom.decide_accept(s, who.department, today, due)

    return run(d, complaint_id, decide, meta, handlers_scope(BUSINESS_DUTIES))


def refuse(d: Deps, complaint_id: str, reason: str, who: Authority,
           meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)
    return run(d, complaint_id, lambda s: dom.decide_refuse(
        s, who.department, reason.strip(), today, d.calendar.workdays_between), meta,
        handlers_scope(WRITE_DUTIES))


def transfer(d: Deps, complaint_id: str, to: tuple[str, ...], reason: str, who: Authority,
             meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)

    def decide(s: Complaint) -> list[Any]:
        due = d.calendar.add_workdays(today, d.rules.accept_days(s.category))
        return dom.decide_transfer(s, who.department, to, reason.strip(), today, due)

    return run(d, complaint_id, decide, meta, handlers_scope(WRITE_DUTIES))


def investigate(d: Deps, complaint_id: str, finding: str, summary: str, who: Authority,
                meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)

    def decide(s: Complaint) -> list[Any]:
        track = s.tracks.get(who.department)
        if track is not None and track.stage != dom.ACCEPTED:
            return dom.decide_investigate(s, who.department, finding, _NOTHING, today)
        return dom.decide_investigate(s, who.department, finding,
                                      d.vault.seal(complaint_id, {"summary": summary}), today)

    return run(d, complaint_id, decide, meta, handlers_scope(BUSINESS_DUTIES))


def reply(d: Deps, complaint_id: str, text: str, who: Authority,
          meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)

    def decide(s: Complaint) -> list[Any]:
        track = s.tracks.get(who.department)
        sealed = (d.vault.seal(complaint_id, {"reply": text})
                  if track is not None and track.stage == dom.INVESTIGATED else _NOTHING)
        return dom.decide_reply(s, who.department, sealed, today, d.calendar.workdays_between)

    return run(d, complaint_id, decide, meta, handlers_scope(WRITE_DUTIES))


def merge(d: Deps, complaint_id: str, into: str, who: Authority,
          meta: CommitMeta) -> Handled[Complaint]:
    today = _today(d)
    other, _ = load(d.store, codes.normalise(into))
    return run(d, complaint_id, lambda s: dom.decide_merge(
        s, who.department, codes.normalise(into), other, today, d.calendar.workdays_between),
        meta, handlers_scope(WRITE_DUTIES))


def erase(d: Deps, complaint_id: str, reason: str, meta: CommitMeta) -> Handled[Complaint]:
    """A leader of a handling department erases the complainant's data: the event first, then
    the key (a retry after a crash between the two finds the event and deletes the key)."""
    today = _today(d)
    handled = run(d, complaint_id, lambda s: dom.decide_erase(s, reason.strip(), today), meta,
                  handlers_scope((LEADER,)))
    d.vault.erase(complaint_id)
    return handled


_NOTHING = dom.Sealed("", "")  # never stored: the decision is a repeat or a refusal


# -- the complainant ---------------------------------------------------------------------


def _by_check_code(d: Deps, complaint_id: str, check_code: str) -> Complaint:
    complaint_id = codes.normalise(complaint_id)
    state, _ = (load(d.store, complaint_id) if codes.TRACKING.match(complaint_id)
                else (dom.initial(), 0))
    # the same answer for an unknown number and a wrong code: nothing to probe
    if not state.exists or not codes.check_matches(d.secrets.code_key, complaint_id,
                                                   check_code):
        raise NotFound("投诉编号或查询码不正确")
    return state


def status_for_complainant(d: Deps, complaint_id: str, check_code: str) -> dict[str, Any]:
    return _status_view(d, _by_check_code(d, complaint_id, check_code))


def _status_view(d: Deps, s: Complaint) -> dict[str, Any]:
    """What the complainant may see: stages, deadlines, findings' verdicts and replies."""
    tracks = []
    for t in s.tracks.values():
        opened = d.vault.open(s.complaint_id, t.reply) if t.reply else None
        tracks.append({"department": t.department,
                       "department_label": DEPARTMENT_NAMES.get(t.department, t.department),
                       "stage": t.stage,
                       "accept_due": t.accept_due, "reply_due": t.reply_due,
                       "finding": t.finding, "refusal": t.refusal,
                       "transferred_to": list(t.transferred_to),
                       "replied_on": t.replied_on,
                       "reply": (opened or {}).get("reply") if t.reply else None})
    return {"complaint_id": s.complaint_id, "category": s.category,
            "category_label": CATEGORIES.get(s.category, s.category),
            "institution_name": s.institution_name, "institution_uscc": s.institution_uscc,
            "received_on": s.received_on, "closed_on": s.closed_on, "outcome": s.outcome,
            "merged_into": s.merged_into, "rating": s.rating, "erased": s.erased,
            "tracks": tracks}


def rate(d: Deps, complaint_id: str, check_code: str, rating: str,
         meta: CommitMeta) -> Handled[Complaint]:
    s = _by_check_code(d, complaint_id, check_code)
    today = _today(d)
    return run(d, s.complaint_id, lambda st: dom.decide_rate(st, rating, today),
               meta.authorized(Scope()))


# -- officials reading -------------------------------------------------------------------


def for_official(d: Deps, complaint_id: str, reader: Authority) -> dict[str, Any]:
    """The whole complaint, decrypted, for an official of a handling department whose region
    covers the district (403 for anyone else). Each such read is logged, without content."""
    state, version = load(d.store, codes.normalise(complaint_id))
    if not state.exists:
        raise NotFound("没有该投诉")
    check(reader, Scope(departments=state.departments(), district=state.district))
    log.info("complaint %s read in full by %s (%s)", state.complaint_id, reader.sub,
             reader.department)
    private = d.vault.open(state.complaint_id, state.sealed)
    findings = [{"department": dept, **(d.vault.open(state.complaint_id, sealed) or {})}
                for dept, sealed in state.findings]
    view = _status_view(d, state)
    view.update({"version": version, "channel": state.channel, "district": state.district,
                 "anonymous": state.anonymous, "has_contact": state.has_contact,
                 "description": (private or {}).get("description"),
                 "contact_name": (private or {}).get("name") or None,
                 "contact_phone": (private or {}).get("phone") or None,
                 "findings": findings})
    return view


# -- the scheduler ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReport:
    as_of: date
    checked: int
    flagged: list[str]


def check_overdue(d: Deps, meta: CommitMeta) -> OverdueReport:
    """ComplaintOverdue once per track and stage past its deadline (every district)."""
    meta = meta.authorized(Scope())
    today = _today(d)
    streams = d.store.streams_with("ComplaintReceived")
    flagged: list[str] = []
    for name in streams:
        complaint_id = name.removeprefix("complaint-")
        try:
            handled = run(d, complaint_id, lambda s: dom.decide_overdue(s, today), meta)
        except ConcurrencyConflict:
            log.info("overdue check skipped %s: changed meanwhile", complaint_id)
            continue
        flagged += [f"{complaint_id}/{e.department}/{e.stage}" for e in handled.events]
    return OverdueReport(today, len(streams), flagged)
