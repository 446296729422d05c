"""The complaint aggregate's invariants over random histories, and its boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from complaints.domain import complaint as dom
from complaints.domain.events import ComplaintOverdue, ComplaintReceived, Sealed
from complaints.domain.rules import CATEGORIES, Rules
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain import Conflict, DomainError, InvalidCommand
from shared.workdays import WorkCalendar

CAL = WorkCalendar()
DAY = date(2025, 3, 3)
SEAL = Sealed("bm9uY2U=", "Y2lwaGVy")
DEPTS = ("civil_affairs", "public_security", "market_supervision", "fire_rescue")


def received(departments: tuple[str, ...] = ("civil_affairs",), category: str = "other",
             due: date = DAY + timedelta(days=3)) -> dom.Complaint:
    cmd = ComplaintReceived("TS23456789AB", "web", category, "", "某养老院", "500103", departments,
                      True, False, SEAL, DAY, due)
    return fold(dom.initial(), dom.decide_receive(dom.initial(), cmd))


def fold(state: dom.Complaint, events: list) -> dom.Complaint:
    for e in events:
        state = dom.evolve(state, e)
    return state


# one step of a random history: (command name, department, extra)
steps = st.lists(st.tuples(
    st.sampled_from(["accept", "refuse", "transfer", "investigate", "reply", "overdue",
                     "rate", "erase", "merge"]),
    st.sampled_from(DEPTS), st.integers(0, 40)), max_size=25)


def apply(state: dom.Complaint, step: tuple[str, str, int], day: date) -> list:
    name, dept, n = step
    other = received()
    match name:
        case "accept":
            return dom.decide_accept(state, dept, day, CAL.add_workdays(day, 15))
        case "refuse":
            return dom.decide_refuse(state, dept, "不属于受理范围", day, CAL.workdays_between)
        case "transfer":
            target = DEPTS[n % len(DEPTS)]
            return dom.decide_transfer(state, dept, (target,), "职责", day,
                                       CAL.add_workdays(day, 3))
        case "investigate":
            return dom.decide_investigate(state, dept, ["substantiated", "partly"][n % 2], SEAL,
                                          day)
        case "reply":
            return dom.decide_reply(state, dept, SEAL, day, CAL.workdays_between)
        case "overdue":
            return dom.decide_overdue(state, day)
        case "rate":
            return dom.decide_rate(state, ["satisfied", "unsatisfied"][n % 2], day)
        case "erase":
            return dom.decide_erase(state, "保存期满", day)
        case _:
            return dom.decide_merge(state, dept, "TS3456789ABC",
                                    replace(other, complaint_id="TS3456789ABC"), day,
                                    CAL.workdays_between)


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(DEPTS), min_size=1, max_size=3), steps)
def test_invariants_over_random_histories(first: set[str], history) -> None:
    state = received(tuple(sorted(first)))
    day = DAY
    overdue_seen: set[tuple[str, str]] = set()
    for step in history:
        day += timedelta(days=step[2] % 5)
        try:
            events = apply(state, step, day)
        except DomainError:
            continue  # a refused command stores nothing
        after = fold(state, events)
        # the same command again on the new state stores nothing (idempotent)
        try:
            assert apply(after, step, day) == []
        except DomainError:
            pass
        for e in events:
            if isinstance(e, ComplaintOverdue):
                key = (e.department, e.stage)
                assert key not in overdue_seen, "an overdue deadline is reported once"
                overdue_seen.add(key)
                assert e.flagged_on > e.due, "never on the due date itself"
        state = after
        # closed exactly when nothing is left open (or it was merged)
        open_tracks = [t for t in state.tracks.values() if t.is_open]
        assert state.is_closed == (not open_tracks or bool(state.merged_into)), state
        # a closed complaint never reopens, a rating only after a reply
        if state.rating:
            assert state.is_closed and state.outcome == dom.REPLIED
        if state.erased:
            assert state.is_closed


def test_overdue_on_the_due_day_is_silent_and_the_day_after_flags_once() -> None:
    due = DAY + timedelta(days=1)
    state = received(due=due)
    assert dom.decide_overdue(state, due) == []
    events = dom.decide_overdue(state, due + timedelta(days=1))
    assert [(e.stage, e.due) for e in events] == [("accept", due)]
    assert dom.decide_overdue(fold(state, events), due + timedelta(days=9)) == []


def test_the_reply_deadline_is_watched_after_acceptance() -> None:
    state = received()
    due = DAY + timedelta(days=10)
    state = fold(state, dom.decide_accept(state, "civil_affairs", DAY, due))
    assert dom.decide_overdue(state, due) == []
    assert [e.stage for e in dom.decide_overdue(state, due + timedelta(days=1))] == ["reply"]


def test_two_departments_each_reply_and_only_the_last_closes() -> None:
    state = received(("civil_affairs", "public_security"), "elder_abuse")
    for dept in ("civil_affairs", "public_security"):
        state = fold(state, dom.decide_accept(state, dept, DAY, DAY))
        state = fold(state, dom.decide_investigate(state, dept, "substantiated", SEAL, DAY))
    first = dom.decide_reply(state, "civil_affairs", SEAL, DAY, CAL.workdays_between)
    assert [e.event_name for e in first] == ["ComplaintReplied"]
    state = fold(state, first)
    last = dom.decide_reply(state, "public_security", SEAL, DAY + timedelta(days=7),
                            CAL.workdays_between)
    assert [e.event_name for e in last] == ["ComplaintReplied", "ComplaintClosed"]
    assert last[-1].outcome == "replied" and last[-1].handling_workdays == 5


def test_a_department_the_complaint_was_not_routed_to_cannot_act() -> None:
    with pytest.raises(Conflict):
        dom.decide_accept(received(), "fire_rescue", DAY, DAY)


def test_refusal_needs_a_reason_and_a_transfer_another_department() -> None:
    state = received()
    with pytest.raises(InvalidCommand):
        dom.decide_refuse(state, "civil_affairs", "  ", DAY, CAL.workdays_between)
    with pytest.raises(InvalidCommand):
        dom.decide_transfer(state, "civil_affairs", ("civil_affairs",), "x", DAY, DAY)


def test_rating_waits_for_a_reply_and_cannot_change() -> None:
    state = received()
    with pytest.raises(Conflict):
        dom.decide_rate(state, "satisfied", DAY)
    state = fold(state, dom.decide_accept(state, "civil_affairs", DAY, DAY))
    state = fold(state, dom.decide_investigate(state, "civil_affairs", "partly", SEAL, DAY))
    state = fold(state, dom.decide_reply(state, "civil_affairs", SEAL, DAY,
                                         CAL.workdays_between))
    state = fold(state, dom.decide_rate(state, "satisfied", DAY))
    assert dom.decide_rate(state, "satisfied", DAY) == []
    with pytest.raises(Conflict):
        dom.decide_rate(state, "unsatisfied", DAY)


# -- rules -------------------------------------------------------------------------------


def test_every_category_is_routed_in_every_district() -> None:
    rules = Rules()
    for category in CATEGORIES:
        for district in ("500103", "110101", "650102"):
            assert rules.route(category, district)
    assert set(rules.route("elder_abuse", "500103")) == {"civil_affairs", "public_security"}


def test_the_most_specific_route_wins() -> None:
    routing = (*Rules().routing, ("50", "other", ("housing",)),
               ("500103", "other", ("health",)))
    rules = Rules(routing=routing)
    assert rules.route("other", "500103") == ("health",)
    assert rules.route("other", "500108") == ("housing",)
    assert rules.route("other", "110101") == ("civil_affairs",)


@pytest.mark.parametrize("name", ["accept_workdays", "reply_workdays"])
def test_deadlines_within_1_to_60_working_days(name: str) -> None:
    assert getattr(Rules(**{name: 60}), name) == 60
    with pytest.raises(ValueError, match=name):
        Rules(**{name: 61})
    with pytest.raises(ValueError):
        Rules(**{name: 0})


def test_urgent_deadlines_never_exceed_the_ordinary_ones() -> None:
    Rules(accept_workdays=2, urgent_accept_workdays=2)
    with pytest.raises(ValueError, match="urgent_accept_workdays"):
        Rules(accept_workdays=2, urgent_accept_workdays=3)


def test_routing_must_cover_every_category_and_name_known_departments() -> None:
    with pytest.raises(ValueError, match="routing"):
        Rules(routing=Rules().routing[1:])
    with pytest.raises(ValueError, match="routing"):
        Rules(routing=(*Rules().routing, ("*", "other", ("police",))))
