"""While a feature rebuilds in place, its consumer is paused and nothing is lost."""

from __future__ import annotations

import pytest
from projection.features import guard

from shared.consumer import RetryLater


def test_handler_is_paused_during_a_rebuild_and_resumes_after(db):
    applied: list[str] = []
    handler = guard.guarded(db, "demo", lambda env: applied.append(env))
    with guard.rebuilding(db, "demo", settle=0):
        with pytest.raises(RetryLater):
            handler("e1")
    handler("e1")
    assert applied == ["e1"]


def test_a_flag_left_by_a_killed_rebuild_expires(db):
    from datetime import UTC, datetime

    db[guard.META].insert_one({"_id": "rebuilding:demo",
                               "since": (datetime.now(UTC) - guard.STALE * 2).isoformat()})
    assert not guard.is_rebuilding(db, "demo")
