"""The escrow read model's fold: compliance, policy shown, overdue refunds (pure)."""

from __future__ import annotations

from datetime import date

from projection.features.escrow.fold import (
    blank_institution,
    compliance,
    evolve_institution,
    overdue_refunds,
    policy_in_force,
)

from tests.unit.escrow.builders import TODAY, USCC, World


def _fold(w: World) -> dict:
    view = blank_institution(USCC)
    for env in w.store.load(f"escrow-{USCC}").events:
        view = evolve_institution(view, env.name, env.data)
    return view


def _world() -> World:
    w = World()
    w.open()
    w.contract()
    w.declare(600_000)
    return w


def test_an_institution_without_an_account_is_shown_as_such() -> None:
    assert compliance(blank_institution(USCC), TODAY) == "no_account"


def test_never_reconciled_is_unknown_not_compliant() -> None:
    assert compliance(_fold(_world()), TODAY) == "unknown"


def test_an_open_shortfall_makes_the_institution_non_compliant() -> None:
    from escrow.app.reconciliation import reconcile

    from tests.unit.escrow.builders import META

    w = _world()
    reconcile(USCC, "", store=w.store, clock=w.clock, policies=w.policies, meta=META)
    view = _fold(w)
    assert compliance(view, TODAY) == "non_compliant"
    assert view["open_shortfall"]["shortfall_fen"] == 630_000
    assert (view["liabilities_fen"], view["reserve_fen"]) == (600_000, 30_000)


def test_a_refund_past_its_deadline_counts_as_overdue_before_the_scheduler_ran() -> None:
    from escrow.app.refunds import end_contract

    from tests.unit.escrow.builders import META

    w = _world()
    end_contract(USCC, "C1", TODAY, store=w.store, clock=w.clock, meta=META)
    view = _fold(w)
    assert overdue_refunds(view, date(2025, 4, 2)) == []
    assert [o["contract_id"] for o in overdue_refunds(view, date(2025, 4, 3))] == ["C1"]


def test_the_policy_shown_is_the_one_at_opening_until_a_new_version_is_in_force() -> None:
    view = _fold(_world())
    published = {"versions": [{"version": 1, "effective_from": "2025-05-01", "terms": {}}]}
    assert policy_in_force(view, published, TODAY)["version"] == 0
    assert policy_in_force(view, published, date(2025, 5, 1))["version"] == 1
