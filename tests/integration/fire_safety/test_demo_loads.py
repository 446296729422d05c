"""The demo loader runs against the app (through Flask's test client): officials are registered
before the inspections that name them, and a second run changes nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from devtools.demo import fire_safety as demo
from devtools.demo.client import Client
from shared.clock import SystemClock

BASE = "http://fire-safety.test"


@pytest.fixture()
def clock() -> SystemClock:  # the demo counts its dates back from the real today
    return SystemClock()


class _Session:
    """requests.Session's request() over a Flask test client."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def request(self, method: str, url: str, headers: dict[str, str], data: bytes | None,
                timeout: float) -> Any:
        r = self.client.open(url.removeprefix(BASE), method=method, headers=headers, data=data)
        return SimpleNamespace(status_code=r.status_code, text=r.get_data(as_text=True),
                               headers=r.headers, json=r.get_json,
                               request=SimpleNamespace(method=method), url=url)

    def close(self) -> None:
        pass


def test_the_demo_loads_and_a_second_run_changes_nothing(app, settings, monkeypatch):
    client = Client(BASE)
    client.session = _Session(app.test_client())  # type: ignore[assignment]
    tally = demo.load(client, None)
    assert tally["officials registered"] == len(demo.dd.OFFICIALS)
    assert tally["inspections recorded"] == len(demo.dd.INSPECTIONS)
    assert tally["RectificationOverdue raised"] == 1
    again = demo.load(client, None)
    assert again["inspections unchanged"] == len(demo.dd.INSPECTIONS)
    assert "officials registered" not in again and "inspections recorded" not in again
