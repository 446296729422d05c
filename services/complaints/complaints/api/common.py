"""What every view needs: the wired dependencies and the receipt's shape."""

from __future__ import annotations

from typing import Any

from flask import current_app

from complaints.app.common import Deps
from complaints.app.complaints import Receipt
from complaints.domain.complaint import Complaint
from shared.commands import Handled

EXTENSION = "complaints"


def deps() -> Deps:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def receipt_view(r: Receipt) -> dict[str, Any]:
    s = r.handled.state
    first = next(iter(s.tracks.values()), None)
    return {"complaint_id": r.complaint_id, "check_code": r.check_code,
            "received_on": s.received_on, "accept_due": first.accept_due if first else None,
            "departments": list(s.tracks), "category": s.category}


def handled_view(h: Handled[Complaint]) -> dict[str, Any]:
    s = h.state
    return {"complaint_id": s.complaint_id, "version": h.version,
            "events": [e.event_name for e in h.events],
            "closed_on": s.closed_on, "outcome": s.outcome,
            "tracks": [{"department": t.department, "stage": t.stage,
                        "accept_due": t.accept_due, "reply_due": t.reply_due}
                       for t in s.tracks.values()]}
