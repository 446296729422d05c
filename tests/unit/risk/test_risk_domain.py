"""The risk aggregate's invariants over random histories of signals, and the scenarios of
issue 14: fee complaints and a shortfall raise an orange alert that resolves only once the
shortfall is settled and the targeted inspection's result is published; an elder-abuse
complaint is red at once."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from risk.domain import risk as dom
from risk.domain.events import RiskAlertRaised, RiskAlertResolved
from risk.domain.rules import CLASSES, Rules, rank
from risk.domain.signals import CLOSED, HAPPENED, OPENED, Signal, signals_of

USCC = "91500103MA5U7XYK4F"
DAY = date(2026, 11, 2)
RULES = Rules()


def fold(state: dom.Risk, events: list) -> dom.Risk:
    for e in events:
        state = dom.evolve(state, e)
    return state


def record(state: dom.Risk, event_id: str, *signals: Signal, today: date = DAY) -> dom.Risk:
    return fold(state, dom.decide_record(state, USCC, event_id, "x", list(signals), RULES,
                                         today))


def complaint(n: int, category: str = "fees_deposits", on: date = DAY) -> list[Signal]:
    return signals_of("complaints", "ComplaintReceived", {
        "complaint_id": f"TS{n:010d}", "category": category, "institution_uscc": USCC,
        "received_on": on.isoformat()}, on)


def score(state: dom.Risk, today: date = DAY) -> int:
    return sum(r.weight for r in dom.fired(state, RULES, today))


KINDS = ("complaint", "complaint:fees_deposits", "complaint:elder_abuse", "major_hazard",
         "deposit_shortfall", "refund_overdue", "penalty", "listed", "contract_ended")
signals = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 4),
                             st.sampled_from([HAPPENED, OPENED, CLOSED]),
                             st.integers(0, 40)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(signals, st.sets(st.integers(0, 29)))
def test_invariants_over_random_histories(history, inspected_at) -> None:
    state = dom.initial()
    for i, (kind, ref, change, age) in enumerate(history):
        today = DAY + timedelta(days=i)
        sig = Signal(USCC, kind, f"r{ref}", today - timedelta(days=age % 3), change)
        before = state
        state = record(state, f"e{i}", sig, today=today)
        # the same event again changes nothing
        assert dom.decide_record(state, USCC, f"e{i}", "x", [sig], RULES, today) == []
        # an orange or red alert is never resolved by signals while its inspection is
        # outstanding (only the inspection, below, may end it)
        if before.alert is not None and before.alert.awaiting_inspection:
            assert state.alert is not None and state.alert.alert_id == before.alert.alert_id
        if i in inspected_at and state.alert is not None:
            state = fold(state, dom.decide_inspected(state, state.alert.alert_id, "T1", False,
                                                     today, RULES, today))
        alert, now = state.alert, RULES.level_of(score(state, today))
        # the class always matches the open alert
        assert state.risk_class == CLASSES[alert.level if alert else None]
        if alert is None:
            assert now is None
        elif alert.awaiting_inspection:
            assert rank(alert.level) >= rank(now)  # held up until the inspection, never below
        else:
            assert alert.level == now


@settings(max_examples=200, deadline=None)
@given(signals, st.sampled_from(["complaint", "complaint:elder_abuse", "major_hazard",
                                 "deposit_shortfall", "penalty"]))
def test_adding_a_negative_signal_never_lowers_the_score(history, kind) -> None:
    state = dom.initial()
    for i, (k, ref, change, _) in enumerate(history):
        state = record(state, f"e{i}", Signal(USCC, k, f"r{ref}", DAY, change))
    more = Signal(USCC, kind, "new", DAY, OPENED if kind in ("major_hazard",
                                                            "deposit_shortfall") else HAPPENED)
    assert score(record(state, "extra", more)) >= score(state)


def test_fee_complaints_and_a_shortfall_are_orange_until_settled_and_inspected() -> None:
    state = dom.initial()
    for n in range(3):
        state = record(state, f"c{n}", *complaint(n, on=DAY - timedelta(days=10 * n)))
    assert state.alert is not None and state.alert.level == "yellow"  # 30 + 10
    state = record(state, "s", Signal(USCC, "deposit_shortfall", "SF-1", DAY, OPENED))
    alert = state.alert
    assert alert is not None and alert.level == "orange" and alert.awaiting_inspection
    assert state.risk_class == "high"
    assert {r.rule for r in alert.reasons} == {"repeated_complaints", "fee_complaints",
                                               "deposit_shortfall"}
    settled = record(state, "r", Signal(USCC, "deposit_shortfall", "SF-1", DAY, CLOSED))
    assert settled.alert is not None and settled.alert.level == "orange"  # not inspected yet
    events = dom.decide_inspected(settled, alert.alert_id, "TI-1", True, DAY, RULES, DAY)
    names = [type(e).__name__ for e in events]
    assert names[:2] == ["TargetedInspectionNoted", "RiskAlertResolved"]
    after = fold(settled, events)
    assert after.alert is not None and after.alert.level == "yellow"  # the complaints remain
    assert after.alert.alert_id != alert.alert_id


def test_an_elder_abuse_complaint_is_red_at_once_and_names_it() -> None:
    events = dom.decide_record(dom.initial(), USCC, "e1", "complaints",
                               complaint(7, "elder_abuse"), RULES, DAY)
    raised = [e for e in events if isinstance(e, RiskAlertRaised)]
    assert len(raised) == 1 and raised[0].level == "red"
    assert any(r.rule == "elder_abuse" and "TS0000000007" in r.refs for r in raised[0].reasons)


def test_windows_pass_and_the_alert_resolves_without_an_inspection_below_orange() -> None:
    state = dom.initial()
    for n in range(3):
        state = record(state, f"c{n}", *complaint(n, "service_quality"))
    assert state.alert is not None and state.alert.level == "yellow"
    assert dom.assess(state, RULES, DAY + timedelta(days=29)) == []  # day 30 of the window
    later = dom.assess(state, RULES, DAY + timedelta(days=30))  # one past it
    assert [type(e).__name__ for e in later] == ["RiskAlertResolved", "RiskClassChanged"]
    assert isinstance(later[0], RiskAlertResolved)


def test_complaints_without_an_institution_code_say_nothing() -> None:
    assert signals_of("complaints", "ComplaintReceived", {
        "complaint_id": "TS1", "category": "other", "institution_uscc": "",
        "received_on": "2026-11-02"}, DAY) == []


def test_thresholds_must_rise() -> None:
    import pytest

    Rules(yellow_at=1, orange_at=2, red_at=3)
    with pytest.raises(ValueError):
        Rules(yellow_at=60, orange_at=60)
