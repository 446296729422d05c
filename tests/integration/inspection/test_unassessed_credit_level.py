"""A filed institution whose credit level has not arrived is sampled in the neutral class and
says so (credit_assessed=false in the directory and the published snapshot), never a silent B."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from inspection.adapters.directory import MongoObjectDirectory
from inspection.bootstrap import create_app

from shared.envelope import Envelope, ce_type, new_event_id
from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    joint_plan,
)
from tests.support import Caller, LocalBeacon


def level_changed(uscc: str, level: str) -> Envelope:
    """A credit CreditLevelChanged v2 (as the credit service publishes it)."""
    return Envelope(id=new_event_id(), source="/eldercare/credit",
                    type=ce_type("credit", "CreditLevelChanged", 2), subject=f"credit-{uscc}",
                    time=datetime(2026, 11, 20, tzinfo=UTC), stream_version=2, data={
                        "institution_uscc": uscc, "level": level, "previous_level": None,
                        "score": 100, "as_of": "2026-11-20", "reason": "institution_filed",
                        "records_counted": 0, "determined_by": "neutral_period",
                        "neutral_until": "2027-11-20"})


def test_unassessed_institutions_are_drawn_in_the_neutral_class_and_say_so(call, directory):
    assessed, waiting = add_institutions(directory, range(1, 3))
    directory.apply(level_changed(assessed, "D"))
    entries = {e.uscc: e for e in directory.entries()}
    assert (entries[assessed].credit_level, entries[assessed].credit_assessed) == ("D", True)
    assert (entries[waiting].credit_level, entries[waiting].credit_assessed) == ("B", False)
    shown = call("GET", f"/api/v1/objects/{waiting}", "civil_affairs").json
    assert (shown["credit_level"], shown["credit_assessed"]) == ("B", False)

    add_inspectors(call, "civil_affairs", 3)
    add_inspectors(call, "fire_rescue", 3)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    pid = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items)).json["plan_id"]
    assert call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").status_code == 200
    assert call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").status_code == 200
    objects = {o["uscc"]: o for o in json.loads(
        call("GET", f"/api/v1/plans/{pid}/snapshot").data)["objects"]}
    assert objects[waiting]["credit_level"] == "B" and objects[waiting]["credit_assessed"] is False
    assert objects[assessed]["credit_level"] == "D" and "credit_assessed" not in objects[assessed]


def test_the_neutral_class_for_unassessed_institutions_is_configurable(settings, store, clock,
                                                                       db):
    settings = replace(settings, extra={**settings.extra,
                                        "ELDERCARE_INSPECTION_UNASSESSED_CREDIT_LEVEL": "c"})
    app = create_app(settings=settings, store=store, clock=clock, db=db, beacon=LocalBeacon())
    (waiting,) = add_institutions(MongoObjectDirectory(db), range(5, 6))
    shown = Caller(app.test_client())(
        "GET", f"/api/v1/objects/{waiting}", "fire_rescue").json
    assert (shown["credit_level"], shown["credit_assessed"]) == ("C", False)
