"""shared.readside.store.each/later: a batch's independent commands go out together, keep
their order in the answer, and a failure is raised only after every one has finished (so a
batch read again never races a write of its previous attempt)."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.readside.store import each, later


@settings(max_examples=50, deadline=None)
@given(items=st.lists(st.integers(), max_size=12))
def test_answers_in_order(items) -> None:
    assert each(lambda x: x * 2, items) == [x * 2 for x in items]


def test_they_run_at_the_same_time() -> None:
    both = threading.Barrier(3, timeout=5)  # would time out if run one after the other
    assert each(lambda x: both.wait() is not None and x, [1, 2, 3]) == [1, 2, 3]


def test_a_failure_is_raised_after_the_others_finished() -> None:
    finished = []

    def work(x: int) -> int:
        if x == 0:
            raise ValueError("first fails at once")
        time.sleep(0.2)
        finished.append(x)
        return x

    with pytest.raises(ValueError):
        each(work, [0, 1, 2])
    assert sorted(finished) == [1, 2]


def test_later_raises_its_error_when_waited_for() -> None:
    def fail() -> None:
        raise KeyError("x")

    f = later(fail)
    with pytest.raises(KeyError):
        f.result()
    assert later(lambda: 7).result() == 7
