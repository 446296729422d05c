"""Escrow through the running stack: a policy, an account, deposits (one over the cap), a
statement revealing a shortfall, a late refund; the regulator and public pages show it."""

from __future__ import annotations

import random
from datetime import timedelta

import requests

from tests.e2e.conftest import bearer, make_uscc, poll
from tests.e2e.conftest import today as china_date


def _post(stack, path: str, role: str = "civil_affairs", **kwargs) -> requests.Response:
    return requests.post(f"{stack.urls['escrow']}{path}", headers={
        **bearer(stack, role), **kwargs.pop("headers", {})}, timeout=10, **kwargs)


def _shown(stack, uscc: str, path: str, text: str, role: str | None = None) -> str | None:
    headers = bearer(stack, role) if role else {}
    r = requests.get(f"{stack.urls['projection']}{path}", headers=headers, timeout=5)
    return r.text if r.status_code == 200 and text in r.text else None


def test_escrow_story_through_http_reaches_the_pages(stack) -> None:
    uscc = make_uscc(random.randint(10_000, 99_999))
    base = f"/api/v1/institutions/{uscc}"
    today = china_date()
    account = {"jurisdiction": "beijing", "bank": "北京银行", "account_number": "6214830012345678",
               "custody_agreement_id": "BJ-AG-001"}
    assert _post(stack, f"{base}/account", json=account).status_code == 201
    contract = {"contract_id": "C1", "resident_ref": "R-a1b2c3", "starts_on":
                (today - timedelta(days=90)).isoformat(), "monthly_service_fee_fen": 500_000,
                "monthly_bed_fee_fen": 200_000}  # 12 x bed > 4 x service: Beijing binds
    assert _post(stack, f"{base}/contracts", json=contract).status_code == 201
    ok = _post(stack, f"{base}/contracts/C1/deposits",
               json={"kind": "deposit", "receipt_no": "S1", "amount_fen": 2_000_000})
    assert ok.status_code == 201, ok.text
    over = _post(stack, f"{base}/contracts/C1/deposits",
                 json={"kind": "deposit", "receipt_no": "S2", "amount_fen": 1})
    assert over.status_code == 422 and over.json()["cap_fen"] == 2_000_000
    csv = f"bank_txn_id,booked_on,amount_fen\nE2E-1,{today.isoformat()},1500000\n"
    imported = _post(stack, f"{base}/statements", role="finance", data=csv.encode(),
                     headers={"Content-Type": "text/csv"}).json()
    assert imported["events"] == ["BankStatementImported", "EscrowShortfallDetected"]
    ended_on = (today - timedelta(days=40)).isoformat()
    assert _post(stack, f"{base}/contracts/C1/end", json={"ended_on": ended_on}).ok
    flagged = _post(stack, "/api/v1/checks/overdue-refunds").json()["flagged"]
    assert f"{uscc}/C1" in flagged
    assert poll(lambda: _shown(stack, uscc, f"/escrow/{uscc}", "不合规"))
    # the overdue refund is listed once ContractEnded/RefundOverdue have been consumed
    page = poll(lambda: _shown(stack, uscc, f"/escrow/regulator/{uscc}", "R-a1b2c3", "finance"))
    assert "SF-1" in page and "20,000.00" in page
