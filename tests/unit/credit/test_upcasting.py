"""Version-1 events fold to the same state as their upcast version 2 (credit/domain/upcasters).

The upcasters are the only place old shapes are read: evolve sees current types only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from credit.app.common import CREDIT_FILE, PENALTY
from credit.domain.events import EVENTS, CreditLevelChanged, PenaltyDecided
from credit.domain.upcasters import UPCASTERS, department_of_authority
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.contracts import contracts_dir, validate_data
from shared.envelope import Envelope, ce_type
from tests.support_schema import from_schema


def _schema(name: str, version: int) -> dict:
    path = contracts_dir() / "events" / "credit" / f"{name}.v{version}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _stored(name: str, version: int, data: dict, n: int = 1) -> Envelope:
    return Envelope(f"e{n}", "/eldercare/credit", ce_type("credit", name, version), "s-1",
                    datetime(2026, 11, 23, tzinfo=UTC), data, n)


AGGREGATES = {"PenaltyDecided": PENALTY, "CreditLevelChanged": CREDIT_FILE}


@pytest.mark.parametrize("name", sorted(AGGREGATES))
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_stored_v1_event_folds_to_the_state_of_its_upcast_v2(name, data):
    """Invariant: fold(v1 as stored) == fold(upcast(v1) stored as v2)."""
    v1 = data.draw(from_schema(_schema(name, 1)))
    validate_data(ce_type("credit", name, 1), v1)
    v2 = UPCASTERS[(name, 1)](v1)
    agg = AGGREGATES[name]
    assert agg.fold(agg.initial(), [_stored(name, 1, v1)]) == agg.fold(
        agg.initial(), [_stored(name, 2, v2)])


@pytest.mark.parametrize(("authority", "department"), [
    ("重庆市渝中区民政局", "civil_affairs"), ("重庆市南岸区消防救援支队", "fire_rescue"),
    ("重庆市渝中区市场监督管理局", "market_supervision"), ("某区卫健委", "health"),
    ("某某委员会", None),
])
def test_penalty_decided_v1_gets_the_department_its_authority_names(authority, department):
    v1 = {k: v for k, v in _v2_penalty(authority).items() if k != "department"}
    event = EVENTS.decode("PenaltyDecided", 1, v1)
    assert isinstance(event, PenaltyDecided) and event.department == department
    assert department_of_authority(authority) == department
    if department is not None:  # a named department upcasts to a valid v2 event
        validate_data(ce_type("credit", "PenaltyDecided", 2), event.to_data())


def test_credit_level_changed_v1_reads_as_set_by_the_score_with_no_neutral_period():
    v1 = {"institution_uscc": "91500103MA0000001U", "level": "C", "previous_level": "B",
          "score": 70, "as_of": "2026-05-01", "reason": "record_added", "records_counted": 2}
    event = EVENTS.decode("CreditLevelChanged", 1, v1)
    assert isinstance(event, CreditLevelChanged)
    assert (event.determined_by, event.neutral_until) == ("score", None)
    validate_data(ce_type("credit", "CreditLevelChanged", 2), event.to_data())
    state = CREDIT_FILE.fold(CREDIT_FILE.initial(), [_stored("CreditLevelChanged", 1, v1)])
    assert (state.level, str(state.level_as_of)) == ("C", "2026-05-01")


def _v2_penalty(authority: str) -> dict:
    return {"penalty_id": "pn1", "decision_no": "渝中民罚〔2025〕1号",
            "party": {"kind": "organisation", "uscc": "91500103MA0000001U", "name": "某公司",
                      "id_masked": None, "id_hash": None},
            "violation_type": "fire_safety", "legal_basis": "《消防法》第六十条",
            "sanctions": [{"kind": "fine", "amount_fen": 500_000, "months": None}],
            "authority": authority, "district_code": "500103", "decided_on": "2025-06-01",
            "summary": "", "publish_required": True, "publish_due_by": "2025-06-30",
            "due_provisional": False, "heavy": False, "display_rule": "short",
            "display_months": 3, "department": department_of_authority(authority)}
