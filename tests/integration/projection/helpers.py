"""Helpers of the projection integration tests: envelopes, polling, reading pages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from projection.adapters import generations
from projection.domain.events import Event

from shared.envelope import Envelope, ce_type, new_event_id


def envelope(event: Event, event_id: str | None = None) -> Envelope:
    """The registry's envelope of a domain sample event."""
    return Envelope(id=event_id or new_event_id(), source="/eldercare/registry",
                    type=ce_type("registry", event.name), subject=f"institution-{event.uscc}",
                    time=event.time, data=event.data, stream_version=event.version,
                    command_id=new_event_id(), actor_dept="civil_affairs", actor="tester")


def wait_until(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s: {check}")


def versions(db) -> dict[str, int]:
    """Applied version per institution in the active generation."""
    coll = generations.active_collection(db)
    return {d["_id"]: d["_v"] for d in coll.find({}, {"_v": 1})}


def applied(db, expected: dict[str, int]) -> bool:
    """Whether every institution reached at least the expected version."""
    seen = versions(db)
    return all(seen.get(k, 0) >= v for k, v in expected.items())


def total(html: str) -> int:
    return int(re.search(r'id="total">(\d+)<', html).group(1))


def rows(html: str) -> list[str]:
    """USCCs of the directory rows, in page order."""
    return re.findall(r'<tr class="institution" data-uscc="([^"]+)"', html)
