"""Health from the platform's own marks: a consumer group is lagging exactly when a relay has
published past it and it applied nothing for longer than the bound, stalled when it has not
even looked for longer than the bound (its process is dead or hung)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.ops import lag_rows

NOW, BOUND = 1_000_000.0, 120.0


def _row(head: int, mine: int, applied_ago: float, seen_ago: float) -> dict:
    consumer = {"_id": "g", "positions": {"registry": mine},
                "applied_at": NOW - applied_ago, "seen_at": NOW - seen_ago}
    return lag_rows([consumer], {"registry": {"position": head}}, {"g": ["registry"]}, NOW,
                    BOUND)[0]


@pytest.mark.parametrize(("applied_ago", "state"), [(BOUND, "ok"), (BOUND + 1, "lagging")])
def test_behind_the_relay_it_lags_one_second_past_the_bound(applied_ago, state):
    assert _row(head=5 * 10**9, mine=2 * 10**9, applied_ago=applied_ago, seen_ago=1)["state"] \
        == state


@pytest.mark.parametrize(("seen_ago", "state"), [(BOUND, "ok"), (BOUND + 1, "stalled")])
def test_without_a_heartbeat_past_the_bound_it_is_stalled(seen_ago, state):
    assert _row(head=1, mine=1, applied_ago=10_000, seen_ago=seen_ago)["state"] == state


@given(head=st.integers(0, 10**12), mine=st.integers(0, 10**12),
       applied_ago=st.floats(0, 10_000), seen_ago=st.floats(0, 10_000))
def test_a_group_is_never_called_behind_when_it_is_level_with_the_relay(head, mine,
                                                                       applied_ago, seen_ago):
    row = _row(head, mine, applied_ago, seen_ago)
    assert row["behind_seconds"] == round(max(0, head - mine) / 1e9, 1)
    if seen_ago <= BOUND and (head <= mine or applied_ago <= BOUND):
        assert row["state"] == "ok"
    elif seen_ago > BOUND:
        assert row["state"] == "stalled"
    else:
        assert row["state"] == "lagging"


def test_a_group_that_never_reported_is_stalled():
    rows = lag_rows([{"_id": "g"}], {"registry": {"position": 0}}, {"g": ["registry"]}, NOW,
                    BOUND)
    assert rows[0]["state"] == "stalled"


@given(base=st.floats(0.01, 5), failures=st.integers(1, 40))
def test_a_failing_batch_is_retried_after_a_growing_pause_never_over_the_cap(base, failures):
    from shared.readside.consumer import MAX_PAUSE, retry_pause

    pause = retry_pause(base, failures)
    assert pause <= MAX_PAUSE and pause >= min(base, MAX_PAUSE)
    assert retry_pause(base, failures + 1) >= pause
