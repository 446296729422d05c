"""Worker liveness for container health checks (shared.heartbeat): a beat within the allowed
age is healthy, an older one or none is not, and without the variable nothing is written."""

from __future__ import annotations

import os
import time

import pytest

from shared import heartbeat


@pytest.fixture()
def beat_file(tmp_path, monkeypatch):
    path = tmp_path / "heartbeat"
    monkeypatch.setenv(heartbeat.ENV, str(path))
    monkeypatch.setattr(heartbeat, "_last", 0.0)
    return path


def test_a_fresh_beat_is_healthy_and_a_stale_one_is_not(beat_file) -> None:
    assert heartbeat.main(["--max-age", "90"]) == 1  # no beat yet
    heartbeat.beat()
    assert heartbeat.main(["--max-age", "90"]) == 0
    old = time.time() - 91
    os.utime(beat_file, (old, old))
    assert heartbeat.main(["--max-age", "90"]) == 1  # one second past the limit
    os.utime(beat_file, (old + 2, old + 2))
    assert heartbeat.main(["--max-age", "90"]) == 0  # inside it


def test_beats_are_written_at_most_once_a_second(beat_file, monkeypatch) -> None:
    heartbeat.beat()
    old = time.time() - 50
    os.utime(beat_file, (old, old))
    heartbeat.beat()  # within the second: not written again
    assert heartbeat.age(str(beat_file)) > 40
    monkeypatch.setattr(heartbeat, "_last", time.monotonic() - 1.1)
    heartbeat.beat()
    assert heartbeat.age(str(beat_file)) < 5


def test_without_the_variable_nothing_is_written_and_the_check_fails(tmp_path,
                                                                     monkeypatch) -> None:
    monkeypatch.delenv(heartbeat.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    heartbeat.beat()
    assert list(tmp_path.iterdir()) == []
    assert heartbeat.main([]) == 1
