"""shared.consumer.take: a batch is handed over as soon as there is a message, never after
waiting out the poll timeout for a batch that will not fill (the broker's consume() does)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.consumer import take


class FakeConsumer:
    """A local queue of fetched messages, and messages still to arrive one poll each."""

    def __init__(self, fetched: list[int], arriving: list[list[int]]) -> None:
        self.fetched, self.arriving = list(fetched), [list(a) for a in arriving]
        self.calls: list[tuple[str, float]] = []

    def consume(self, n: int, timeout: float) -> list[int]:
        self.calls.append(("consume", timeout))
        if not self.fetched and timeout > 0 and self.arriving:
            self.fetched = self.arriving.pop(0)
        out, self.fetched = self.fetched[:n], self.fetched[n:]
        return out

    def poll(self, timeout: float) -> int | None:
        self.calls.append(("poll", timeout))
        if not self.fetched and self.arriving:
            self.fetched = self.arriving.pop(0)
        if not self.fetched:
            return None
        return self.fetched.pop(0)


@given(st.lists(st.integers(), min_size=1, max_size=50), st.integers(1, 20))
def test_fetched_messages_are_returned_without_waiting(fetched, batch):
    c = FakeConsumer(fetched, [])
    got = take(c, batch, 5.0)
    assert got == fetched[:batch]
    assert c.calls == [("consume", 0)]  # never a call that may block


@given(st.lists(st.lists(st.integers(), min_size=1, max_size=30), min_size=1, max_size=3),
       st.integers(1, 20))
def test_waits_for_the_first_message_only(arriving, batch):
    c = FakeConsumer([], arriving)
    got = take(c, batch, 5.0, linger=0.01)
    assert got[0] == arriving[0][0]
    assert 1 <= len(got) <= batch
    assert got == [m for part in arriving for m in part][:len(got)]
    blocking = [(name, t) for name, t in c.calls if t > 0]
    assert blocking[0] == ("poll", 5.0)  # the wait is for a first message, not a full batch
    assert all(t <= 0.01 for name, t in blocking[1:])


def test_nothing_arrives():
    c = FakeConsumer([], [])
    assert take(c, 500, 0.2) == []
    assert c.calls == [("consume", 0), ("poll", 0.2)]
