"""No silent default class: the snapshot takes the directory's class and marks unassessed ones."""

from __future__ import annotations

import pytest
from inspection.config import load_rules
from inspection.domain.snapshot import DirectoryEntry, build_snapshot

from shared.config import Settings
from tests.unit.inspection.builders import make_uscc

PLAN = {"plan_id": "2026-joint-1", "departments": ["civil_affairs"], "districts": ["500103"],
        "operator_types": [], "team_size": 2, "exclude_previous_batches": False,
        "ratios_bp": {"A": 500, "B": 1000, "C": 3000, "D": 7000}}


def _snapshot(*entries: DirectoryEntry) -> dict:
    return build_snapshot(PLAN, entries, [], set(), {}, lambda u: "salt")[0]


def test_an_institution_without_a_credit_level_is_never_silently_put_in_class_b():
    waiting = DirectoryEntry(make_uscc(1), "500103", "private_profit", "filed")
    with pytest.raises(ValueError, match="not A/B/C/D"):
        _snapshot(waiting)
    neutral = DirectoryEntry(make_uscc(1), "500103", "private_profit", "filed", "B",
                             credit_assessed=False)
    known = DirectoryEntry(make_uscc(2), "500103", "private_profit", "filed", "C")
    objects = {o["uscc"]: o for o in _snapshot(neutral, known)["objects"]}
    assert objects[make_uscc(1)]["credit_assessed"] is False
    assert "credit_assessed" not in objects[make_uscc(2)]  # unchanged snapshot format


def test_the_unassessed_class_is_configured_and_checked():
    def rules(value: str):
        return load_rules(Settings(service="inspection", extra={
            "ELDERCARE_INSPECTION_UNASSESSED_CREDIT_LEVEL": value}))

    assert rules("").unassessed_credit_level == "B"
    assert rules("c").unassessed_credit_level == "C"
    with pytest.raises(ValueError, match="UNASSESSED_CREDIT_LEVEL"):
        rules("E")
