"""Statement import (CSV and JSON, idempotent, all-or-nothing) and shortfall detection."""

from __future__ import annotations

import json

import pytest
from escrow.app.reconciliation import import_statement, reconcile
from escrow.domain.errors import StatementInvalid
from escrow.domain.statements import parse

from tests.unit.escrow.builders import META, USCC, World

HEADER = "bank_txn_id,booked_on,amount_fen\n"


def _world_owing(deposit: int = 1_000_000) -> World:
    """Chongqing default: 5% reserve, so 1,000,000 owed requires 1,050,000 in the account."""
    w = World()
    w.open()
    w.contract()
    w.declare(deposit)
    return w


def _import(w: World, body: str, fmt: str = "csv"):
    return import_statement(USCC, body.encode(), fmt, store=w.store, clock=w.clock,
                            policies=w.policies, meta=META)


def test_csv_and_json_statements_give_the_same_transactions() -> None:
    csv_txns = parse(HEADER + "T1,2025-03-01,100\nT2,2025-03-02,-40\n", "csv")
    doc = {"transactions": [{"bank_txn_id": "T1", "booked_on": "2025-03-01", "amount_fen": 100},
                            {"bank_txn_id": "T2", "booked_on": "2025-03-02", "amount_fen": -40}]}
    json_txns = parse(json.dumps(doc), "json")
    assert [t.to_data() for t in csv_txns] == [t.to_data() for t in json_txns]


def test_malformed_lines_are_reported_line_by_line() -> None:
    body = HEADER + "T1,2025-03-01,100\nT2,2025-02-30,5\nT3,2025-03-01,12.50\n,2025-03-01,1\n"
    with pytest.raises(StatementInvalid) as exc:
        parse(body, "csv")
    assert sorted(exc.value.line_errors) == ["3", "4", "5"]
    assert "小数" in exc.value.line_errors["4"][0]


def test_json_amounts_must_be_integers_not_floats_or_strings() -> None:
    items = [{"bank_txn_id": "A", "booked_on": "2025-03-01", "amount_fen": 1.0},
             {"bank_txn_id": "B", "booked_on": "2025-03-01", "amount_fen": "100"},
             {"bank_txn_id": "C", "booked_on": "2025-03-01", "amount_fen": True}]
    with pytest.raises(StatementInvalid) as exc:
        parse(json.dumps(items), "json")
    assert sorted(exc.value.line_errors) == ["1", "2", "3"]


def test_a_bad_file_is_applied_not_at_all() -> None:
    w = _world_owing()
    with pytest.raises(StatementInvalid):
        _import(w, HEADER + "T1,2025-03-01,2000000\nT2,bad,1\n")
    assert "BankStatementImported" not in w.events()


def test_reimporting_the_same_statement_changes_nothing() -> None:
    w = _world_owing()
    body = HEADER + "T1,2025-03-01,2000000\n"
    assert _import(w, body).events
    before = w.events()
    assert _import(w, body).events == ()
    assert w.events() == before


def test_overlapping_statements_import_only_new_lines() -> None:
    w = _world_owing()
    _import(w, HEADER + "T1,2025-03-01,600000\n")
    handled = _import(w, HEADER + "T1,2025-03-01,600000\nT2,2025-03-02,500000\n", "csv")
    imported = handled.events[0]
    assert [t.bank_txn_id for t in imported.transactions] == ["T2"]
    assert imported.skipped_known == 1 and imported.totals.balance_fen == 1_100_000


def test_a_known_transaction_id_with_another_amount_rejects_the_file() -> None:
    w = _world_owing()
    _import(w, HEADER + "T1,2025-03-01,600000\n")
    with pytest.raises(StatementInvalid) as exc:
        _import(w, HEADER + "T1,2025-03-01,600001\n")
    assert list(exc.value.line_errors) == ["2"]


def test_balance_below_liabilities_plus_reserve_raises_a_shortfall_once() -> None:
    w = _world_owing()
    handled = _import(w, HEADER + "T1,2025-03-01,1049999\n")
    detected = handled.events[-1]
    assert detected.event_name == "EscrowShortfallDetected"
    assert detected.shortfall_fen == 1
    assert detected.required_fen == 1_050_000
    _import(w, HEADER + "T2,2025-03-02,-1\n")
    assert w.events().count("EscrowShortfallDetected") == 1


def test_balance_exactly_covering_liabilities_and_reserve_is_no_shortfall() -> None:
    w = _world_owing()
    handled = _import(w, HEADER + "T1,2025-03-01,1050000\n")
    assert [e.event_name for e in handled.events] == ["BankStatementImported"]


def test_topping_up_resolves_the_shortfall_with_the_resolution_recorded() -> None:
    w = _world_owing()
    _import(w, HEADER + "T1,2025-03-01,50000\n")
    handled = _import(w, HEADER + "T2,2025-03-05,1000000\n")
    resolved = handled.events[-1]
    assert resolved.event_name == "EscrowShortfallResolved"
    assert resolved.shortfall_id == "SF-1" and resolved.resolution
    assert handled.state.open_shortfall is None


def test_reconciling_on_demand_records_the_regulators_note() -> None:
    w = _world_owing()
    _import(w, HEADER + "T1,2025-03-01,1050000\n")
    w.declare(100_000)  # owed grows after the last statement
    detected = reconcile(USCC, "", store=w.store, clock=w.clock, policies=w.policies,
                         meta=META)
    assert detected.events[0].event_name == "EscrowShortfallDetected"
    _import(w, HEADER + "T2,2025-03-04,105000\n")
    assert w.events()[-1] == "EscrowShortfallResolved"
    assert w.store.load(f"escrow-{USCC}").events[-1].data["resolution"]


@pytest.mark.parametrize("lines", [1, 2000, 2001, 4500])
def test_a_large_statement_is_stored_in_bounded_parts_that_add_up(lines) -> None:
    """Events are bounded: at most LINES_PER_EVENT lines each (at the limit one part, one
    line more two); together the parts hold every new line once, in order, and the last
    part's balance is the whole statement's; a re-import stores nothing."""
    from escrow.domain import reconciliation as rec

    from shared.eventstore import MAX_EVENT_BYTES

    w = World()
    w.open()
    body = HEADER + "".join(f"T{i},2025-03-01,{i + 1}\n" for i in range(lines))
    events = _import(w, body).events
    parts = [e for e in events if type(e).__name__ == "BankStatementImported"]
    assert len(parts) == -(-lines // rec.LINES_PER_EVENT)
    assert all(len(p.transactions) <= rec.LINES_PER_EVENT for p in parts)
    assert [t.bank_txn_id for p in parts for t in p.transactions] == \
        [f"T{i}" for i in range(lines)]
    assert parts[-1].totals.balance_fen == sum(range(1, lines + 1))
    assert len({p.statement_id for p in parts}) == 1
    stored = [e for d in w.store._commits.values() for e in d["envelopes"]
              if e.name == "BankStatementImported"]
    assert max(len(e.value()) for e in stored) < MAX_EVENT_BYTES / 4
    assert _import(w, body).events == ()
