"""Test data builders: USCCs, inspection commands and a folded inspection with hazards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from fire_safety.domain import state as st
from fire_safety.domain.checklist import DEFAULT_ITEMS, DEFAULT_TEMPLATE_ID, Template
from fire_safety.domain.inspection import (
    CompleteInspection,
    ConfirmDetermination,
    RecordItem,
    StartInspection,
    decide_complete,
    decide_confirm_determination,
    decide_record,
    decide_start,
)
from fire_safety.domain.model import Inspector
from fire_safety.domain.officials import Official
from fire_safety.domain.rules import Rules
from fire_safety.domain.state import Inspection
from stdnum.cn import uscc as stdnum_uscc

from shared.domain import Event
from shared.workdays import WorkCalendar

CHINA = timezone(timedelta(hours=8))
MONDAY = date(2026, 11, 23)
RULES = Rules()
CAL = WorkCalendar()
TEMPLATE = Template(DEFAULT_TEMPLATE_ID, 1, "检查表", DEFAULT_ITEMS)
TEAM = (Inspector("fr-001", "fire_rescue"), Inspector("fr-002", "fire_rescue"))
BOARD = ("fr-001", "fr-002", "fr-chief")
PANEL = tuple(f"expert-{n}" for n in range(1, 8))
# the register of named officials the member lists are checked against
OFFICIALS = {o.login: o for o in (
    *(Official(login, "fire_rescue", "500103") for login in (*BOARD, "fr-003", "fr-004")),
    *(Official(login, "fire_rescue", "500103", "expert") for login in PANEL),
    *(Official(login, "civil_affairs", "500103") for login in ("ca-001", "ca-002", "ca-003")),
    Official("fr-retired", "fire_rescue", "500103", active=False),
)}


def china_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHINA)


def make_uscc(n: int = 1, prefix: str = "91", district: str = "500103") -> str:
    body = f"{prefix}{district}MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def start_cmd(**changes: Any) -> StartInspection:
    base: dict[str, Any] = dict(
        inspection_id="FI-1", institution_uscc=make_uscc(1), institution_name="康乐养老院",
        kind="fire_supervision", inspection_date=MONDAY, inspectors=TEAM, task_id=None,
        template=TEMPLATE, actor_dept="fire_rescue", today=MONDAY)
    return StartInspection(**{**base, **changes})


def fold(state: Inspection, events: Sequence[Event]) -> Inspection:
    for e in events:
        state = st.evolve(state, e)
    return state


def started(**changes: Any) -> Inspection:
    return fold(st.initial(), decide_start(st.initial(), start_cmd(**changes), RULES))


def item(code: str, outcome: str = "pass", **kw: Any) -> RecordItem:
    evidence = kw.pop("evidence", "现场照片 3 张" if outcome != "pass" else "")
    return RecordItem("FI-1", code, outcome, evidence, **{"actor_dept": "fire_rescue", **kw})


def all_recorded(state: Inspection, overrides: dict[str, RecordItem]) -> Inspection:
    for i in state.items:
        state = fold(state, decide_record(state, overrides.get(i.code, item(i.code)), RULES,
                                          OFFICIALS))
    return state


def all_agreed(state: Inspection) -> Inspection:
    """Every member named for a major item confirms it from their own account."""
    for code, result in state.results.items():
        for member in result.waiting_for() if result.level == "major" else ():
            state = fold(state, decide_confirm_determination(
                state, ConfirmDetermination("FI-1", code, member, True, MONDAY)))
    return state


def completed_with(overrides: dict[str, RecordItem], today: date = MONDAY) -> Inspection:
    """An inspection completed on MONDAY with the given failures, everything else passing
    (the members of every collective determination having agreed)."""
    state = all_agreed(all_recorded(started(), overrides))
    return fold(state, decide_complete(state, complete_cmd(today), CAL, RULES))


def complete_cmd(today: date = MONDAY, actor_dept: str = "fire_rescue") -> CompleteInspection:
    return CompleteInspection("FI-1", today, actor_dept)


def major_and_general() -> Inspection:
    """exits_routes: major (collective); emergency lighting: general."""
    return completed_with({
        "exits_routes": item("exits_routes", "fail", level="major", determined_by=BOARD),
        "emergency_lighting_signs": item("emergency_lighting_signs", "fail", level="general"),
    })


EXITS = "FI-1.exits_routes"
LIGHTS = "FI-1.emergency_lighting_signs"


def names(events: Sequence[Event]) -> list[str]:
    return [e.event_name for e in events]
