"""The escrow API end to end on MongoDB: caps, statements, shortfalls, refunds, problems."""

from __future__ import annotations

from tests.unit.escrow.builders import USCC

BASE = f"/api/v1/institutions/{USCC}"
HEADER = "bank_txn_id,booked_on,amount_fen\n"
ACCOUNT = {"jurisdiction": "chongqing", "bank": "重庆银行", "account_number": "6222000012345678",
           "custody_agreement_id": "CQ-AG-1"}
CONTRACT = {"contract_id": "C1", "resident_ref": "R-7f3a9c", "monthly_service_fee_fen": 300_000,
            "monthly_bed_fee_fen": 100_000, "starts_on": "2025-03-01"}


def _setup(call) -> None:
    assert call("POST", f"{BASE}/account", json=ACCOUNT).status_code == 201
    assert call("POST", f"{BASE}/contracts", json=CONTRACT).status_code == 201


def _events(store) -> list[str]:
    return [e.name for e in store.load(f"escrow-{USCC}").events]


def test_account_keeps_only_the_masked_number(call, store) -> None:
    _setup(call)
    body = call("GET", BASE, role="finance").get_json()
    assert body["account"]["account_masked"] == "************5678"
    assert "6222000012345678" not in str(store.load(f"escrow-{USCC}").events[0].data)


def test_deposit_over_the_cap_is_422_with_cap_amount_and_rule_and_is_recorded(call, store):
    _setup(call)
    ok = call("POST", f"{BASE}/contracts/C1/deposits",
              json={"kind": "deposit", "receipt_no": "S1", "amount_fen": 1_200_000})
    assert ok.status_code == 201  # 12 x the 1,000 元 bed fee: below Chongqing's 6 x 3,000 元
    over = call("POST", f"{BASE}/contracts/C1/deposits",
                json={"kind": "deposit", "receipt_no": "S2", "amount_fen": 1})
    assert over.status_code == 422
    assert over.mimetype == "application/problem+json"
    problem = over.get_json()
    assert (problem["cap_fen"], problem["amount_fen"]) == (1_200_000, 1)
    assert problem["rule"]["code"] == "deposit_national_ceiling"
    assert problem["rejection_recorded"]
    assert _events(store)[-2:] == ["DepositAccepted", "DepositRejected"]


def test_decimal_or_text_amounts_are_422_and_store_nothing(call, store) -> None:
    _setup(call)
    for amount in (1.5, "100", 100.0, True):
        resp = call("POST", f"{BASE}/contracts/C1/deposits",
                    json={"kind": "deposit", "receipt_no": "S1", "amount_fen": amount})
        assert resp.status_code == 422 and "amount_fen" in resp.get_json()["errors"]
    assert _events(store) == ["EscrowAccountOpened", "ResidentContractRegistered"]


def test_idempotency_key_replays_the_first_answer(call, store) -> None:
    _setup(call)
    body = {"kind": "prepayment", "receipt_no": "P1", "amount_fen": 900_000}
    first = call("POST", f"{BASE}/contracts/C1/deposits", json=body,
                 headers={"Idempotency-Key": "k-1"})
    again = call("POST", f"{BASE}/contracts/C1/deposits", json=body,
                 headers={"Idempotency-Key": "k-1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert _events(store).count("DepositAccepted") == 1


def test_statement_import_is_idempotent_and_reveals_then_resolves_a_shortfall(call) -> None:
    _setup(call)
    call("POST", f"{BASE}/contracts/C1/deposits",
         json={"kind": "deposit", "receipt_no": "S1", "amount_fen": 1_000_000})
    csv = HEADER + "T1,2025-03-02,800000\n"
    first = call("POST", f"{BASE}/statements", data=csv, content_type="text/csv",
                 role="finance").get_json()
    assert first["events"] == ["BankStatementImported", "EscrowShortfallDetected"]
    assert first["totals"]["shortfall_fen"] == 250_000
    again = call("POST", f"{BASE}/statements", data=csv, content_type="text/csv").get_json()
    assert again["outcome"] == "unchanged" and again["imported"] == 0
    top_up = {"transactions": [{"bank_txn_id": "T2", "booked_on": "2025-03-03",
                                "amount_fen": 250_000}]}
    resolved = call("POST", f"{BASE}/statements", json=top_up).get_json()
    assert resolved["events"][-1] == "EscrowShortfallResolved"


def test_a_statement_with_a_bad_line_is_422_line_by_line_and_applies_nothing(call, store):
    _setup(call)
    resp = call("POST", f"{BASE}/statements", content_type="text/csv",
                data=HEADER + "T1,2025-03-02,800000\nT2,2025-03-02,12.5\n")
    assert resp.status_code == 422
    assert list(resp.get_json()["errors"]) == ["3"] and resp.get_json()["applied"] is False
    assert "BankStatementImported" not in _events(store)


def test_contract_end_and_refund_through_http(call, clock) -> None:
    _setup(call)
    call("POST", f"{BASE}/contracts/C1/deposits",
         json={"kind": "deposit", "receipt_no": "S1", "amount_fen": 600_000})
    ended = call("POST", f"{BASE}/contracts/C1/end", json={"ended_on": "2025-03-03"})
    assert ended.get_json()["contract"]["refund_due_by"] == "2025-04-02"
    clock.advance(days=31)
    flagged = call("POST", "/api/v1/checks/overdue-refunds").get_json()["flagged"]
    assert flagged == [f"{USCC}/C1"]
    assert call("GET", BASE).get_json()["overdue_refunds"] == ["C1"]
    late = call("POST", f"{BASE}/contracts/C1/refunds",
                json={"reference": "BK-1", "amount_fen": 600_000, "paid_on": "2025-04-03"})
    assert late.status_code == 200 and late.get_json()["totals"]["liabilities_fen"] == 0


def test_policy_versions_are_published_by_civil_affairs_only(call) -> None:
    terms = {"effective_from": "2025-04-01", "deposit_cap_multiple": 3,
             "deposit_cap_base": "monthly_service_fee", "prepaid_cap_months": 3,
             "membership_allowed": False, "refund_deadline_days": 15,
             "reserve_kind": "amount", "reserve_amount_fen": 5_000_000, "basis": "测试"}
    assert call("POST", "/api/v1/policies/chongqing", json=terms,
                role="finance").status_code == 403
    assert call("POST", "/api/v1/policies/chongqing", json=terms).status_code == 201
    assert call("POST", "/api/v1/policies/chongqing", json=terms).status_code == 200
    listed = call("GET", "/api/v1/policies/chongqing").get_json()
    assert [v["version"] for v in listed["versions"]] == [0, 1]
    assert call("POST", "/api/v1/policies/chongqing", role=None, json=terms).status_code == 401


def test_unknown_contract_is_404_problem(call) -> None:
    _setup(call)
    resp = call("GET", f"{BASE}/contracts/NOPE")
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_a_policy_above_the_national_ceiling_is_refused_at_publication_over_http(call) -> None:
    terms = {"effective_from": "2025-04-01", "deposit_cap_multiple": 13,
             "deposit_cap_base": "monthly_bed_fee", "prepaid_cap_months": 13,
             "membership_allowed": False, "refund_deadline_days": 15,
             "reserve_kind": "amount", "reserve_amount_fen": 5_000_000, "basis": "测试"}
    refused = call("POST", "/api/v1/policies/laxland", json=terms)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    errors = refused.get_json()["errors"]
    assert "国家上限" in errors["deposit_cap_multiple"][0]
    assert "国家上限" in errors["prepaid_cap_months"][0]
    at_ceiling = {**terms, "deposit_cap_multiple": 12, "prepaid_cap_months": 12}
    assert call("POST", "/api/v1/policies/laxland", json=at_ceiling).status_code == 201
