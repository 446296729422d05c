"""The identity rules as invariants: lockout schedule and password policy at their limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from identity.domain import account
from identity.domain.rules import Rules, lockout_seconds, password_problems

from shared.domain import InvalidCommand
from shared.rules import RuleError

R = Rules()
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@given(st.integers(0, 200), st.integers(0, 200))
def test_more_failures_never_lock_for_less_and_never_beyond_the_cap(a, b):
    lo, hi = sorted((a, b))
    assert lockout_seconds(lo, R) <= lockout_seconds(hi, R) <= R.lockout_max_seconds


def test_the_schedule_at_its_boundaries():
    assert lockout_seconds(R.lockout_threshold - 1, R) == 0
    assert lockout_seconds(R.lockout_threshold, R) == 60
    assert lockout_seconds(R.lockout_threshold + 1, R) == 120
    assert lockout_seconds(R.lockout_threshold + 5, R) == 1920
    assert lockout_seconds(R.lockout_threshold + 6, R) == 3600
    assert lockout_seconds(10_000, R) == 3600


def _history(outcomes):
    state = account.evolve(account.initial(), account.create(
        account.initial(), "x.clerk", "测试", "civil_affairs", ("500103",), ("clerk",), False,
        T0)[0])
    now = T0
    for ok in outcomes:
        now += timedelta(hours=2)  # past any lock
        for e in account.signed_in(state, ok, now, R):
            state = account.evolve(state, e)
    return state, now


@given(st.lists(st.booleans(), max_size=30))
def test_a_success_always_resets_the_count_and_the_lock(outcomes):
    state, now = _history([*outcomes, True])
    assert state.failures == 0 and not state.locked_at(now)


@given(st.lists(st.booleans(), max_size=30))
def test_locked_exactly_when_the_failures_in_a_row_reach_the_threshold(outcomes):
    state, now = _history(outcomes)
    run = 0
    for ok in outcomes:
        run = 0 if ok else run + 1
    assert state.failures == run
    assert state.locked_at(now) == (run >= R.lockout_threshold)


def test_password_length_at_the_limit_and_one_below():
    ok = "Abcdefgh12#x"  # 12 characters, 4 classes
    assert password_problems(ok, "someone", R) == []
    assert password_problems(ok[:-1], "someone", R)


@given(st.text(min_size=12, max_size=40))
def test_a_password_containing_the_login_is_always_refused(text):
    assert password_problems("zhang.san" + text, "zhang.san", R)


def test_character_classes_at_the_limit():
    assert password_problems("abcdefgh1234", "x.y", R)  # 2 classes
    assert password_problems("abcdefgh123#", "x.y", R) == []  # 3 classes


@pytest.mark.parametrize("field,value", [("token_lifetime_seconds", 901),
                                         ("token_lifetime_seconds", 0),
                                         ("lockout_base_seconds", 7200),
                                         ("password_min_classes", 5)])
def test_rules_refuse_unsafe_numbers(field, value):
    with pytest.raises(RuleError):
        Rules(**{field: value})
    assert Rules(token_lifetime_seconds=900).token_lifetime_seconds == 900


def test_an_account_administrator_has_no_business_duty():
    with pytest.raises(InvalidCommand):
        account.create(account.initial(), "adm.x", "管理员", "civil_affairs", ("50",),
                       ("account_admin", "leader"), True, T0)


@given(st.text(max_size=70))
def test_logins_are_plain_lowercase_names(login):
    problems = account.check_login(login)
    valid = 3 <= len(login) <= 64 and all(c in account.LOGIN_CHARS for c in login)
    assert (problems == []) == valid
