"""Property: the unfiled check flags every unfiled episode once, never early, never twice.

An episode is a maximal stretch during which the enterprise is active (存续) with 养老服务 in
its scope and has no valid filing (never filed, or the filing was cancelled). The reference
below reads only the event log, independently of the aggregate's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from registry.app.cancel_filing import cancel_filing
from registry.app.check_unfiled import check_unfiled
from registry.app.common import stream_id
from registry.app.file_institution import file_institution
from registry.app.register_enterprise import push_registrations
from registry.domain.errors import DomainError
from registry.domain.rules import Rules

from shared.clock import FixedClock
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.workdays import WorkCalendar
from tests.unit.registry.builders import china_noon, details, record

CALENDAR = WorkCalendar()
META = CommitMeta.system("cmd-prop")
START = date(2026, 3, 2)

steps = st.lists(st.one_of(
    st.tuples(st.just("push"), st.sampled_from(["active", "suspended", "deregistered"]),
              st.booleans()),
    st.just(("file",)), st.just(("cancel",)), st.just(("check",)),
    st.tuples(st.just("wait"), st.integers(1, 45)),
), max_size=30)


@dataclass
class Reference:
    """The unfiled episode as read from the log: open?, since when, flagged?"""

    operating: bool = False
    filed: bool = False
    entered_on: date | None = None
    flagged: bool = False
    ever_filed: bool = False

    @property
    def open(self) -> bool:
        return self.operating and not self.filed

    def apply(self, name: str, data: dict, grace: int) -> None:
        was_open = self.open
        if name.startswith("EnterpriseRegistration"):
            self.operating = data["record"]["status"] == "active" and data["elderly_care_scope"]
            on = data["received_on"]
        elif name == "InstitutionFiled":
            self.filed, on = True, data["filed_on"]
        elif name == "InstitutionCancelled":
            self.filed, on = False, data["cancelled_on"]
        elif name == "UnfiledOperationSuspected":
            assert self.open, "flagged outside an unfiled episode"
            assert not self.flagged, "flagged twice in one episode"
            assert self.entered_on is not None
            detected = date.fromisoformat(data["detected_on"])
            assert detected > CALENDAR.add_workdays(self.entered_on, grace), "flagged early"
            assert data["basis"] == ("filing_cancelled" if self.ever_filed else "never_filed")
            self.flagged = True
            return
        else:
            return
        if name == "InstitutionFiled":
            self.ever_filed = True
        if self.open and not was_open:
            self.entered_on, self.flagged = date.fromisoformat(on), False
        if not self.open:
            self.entered_on, self.flagged = None, False


def replay(store: InMemoryEventStore, uscc: str, grace: int) -> Reference:
    ref = Reference()
    for event in store.load(stream_id(uscc)).events:
        ref.apply(event.name, event.data, grace)
    return ref


@settings(max_examples=150, deadline=None)
@given(steps=steps, grace=st.integers(0, 12))
def test_every_unfiled_episode_is_flagged_once_after_its_grace_period(steps, grace):
    clock = FixedClock(china_noon(START))
    store, day = InMemoryEventStore("registry", clock), START
    rules = Rules(unfiled_grace_workdays=grace)
    uscc = record(1).uscc
    push_registrations([(0, record(1))], store=store, clock=clock, meta=META)
    for step in [*steps, ("check",)]:
        clock.set(china_noon(day))
        kind = step[0]
        try:
            if kind == "push":
                scope = "养老服务；健康咨询" if step[2] else "家政服务"
                push_registrations([(0, record(1, status=step[1], business_scope=scope))],
                                   store=store, clock=clock, meta=META)
            elif kind == "file":
                file_institution(uscc, details(first_admission_date=None), store=store,
                                 clock=clock, calendar=CALENDAR, rules=rules, meta=META)
            elif kind == "cancel":
                cancel_filing(uscc, "停止经营", store=store, clock=clock, meta=META)
            elif kind == "wait":
                day += timedelta(days=step[1])
            else:
                check_unfiled(store=store, clock=clock, calendar=CALENDAR, rules=rules,
                              meta=META)
                ref = replay(store, uscc, grace)  # soundness and once-per-episode
                if ref.open and ref.entered_on is not None and \
                        day > CALENDAR.add_workdays(ref.entered_on, grace):
                    assert ref.flagged, "an overdue unfiled episode was not flagged"
        except DomainError:  # cancelling what is not filed, and the like: refused, no event
            pass
    replay(store, uscc, grace)
