"""Load the escrow demo through the HTTP API: ``python -m devtools.demo.escrow --url URL``.

Five supervised accounts under the Chongqing default policy, contracts with pseudonymous
residents, deposits and prepayments within the caps (one deposit over the cap, refused and
recorded), monthly draws, one ended contract refunded, and a custody statement per account;
one statement reveals a shortfall (see devtools.demo.escrow_data).

Safe to run again: contracts are read first and only what is missing is done, a statement is
imported only into an account that has none yet, and writes carry an Idempotency-Key (the
refused deposit is answered the same way again without a second DepositRejected).
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import timedelta
from typing import Any

from tqdm import tqdm

from devtools.demo import escrow_data as dd
from devtools.demo.client import Client, DemoError, check_registry, run_demo
from shared.clock import SystemClock, china_today


def contract(client: Client, base: str, c: dd.DemoContract, account: dd.DemoAccount,
             today: Any, tally: Counter) -> None:
    """Register, declare, draw, end and refund: each only while still missing."""
    path = f"{base}/contracts/{c.contract_id}"
    state = client.get(path, "civil_affairs")
    if state is None:
        client.ok("POST", f"{base}/contracts", "civil_affairs", c.body(today))
        tally["contracts registered"] += 1
        state = client.ok("GET", path, "civil_affairs")
    else:
        tally["contracts unchanged"] += 1
    if state["ended_on"] is None:
        for d in c.declarations:
            body = {"kind": d.kind, "receipt_no": d.receipt_no, "amount_fen": d.amount_fen}
            if d.over_cap:
                r = client.call("POST", f"{path}/deposits", "civil_affairs", body)
                if r.status_code != 422 or not r.json().get("rejection_recorded"):
                    raise DemoError(f"{d.receipt_no}: expected 422 over the cap, got "
                                    f"{r.status_code}: {r.text[:300]}")
                tally["deposits refused over the cap"] += 1
                continue
            out = client.ok("POST", f"{path}/deposits", "civil_affairs", body)
            new = out["events"] and not client.replayed
            tally[f"{d.kind}s {'accepted' if new else 'unchanged'}"] += 1
        if state["drawn_fen"] == 0:
            for period in c.periods(today):
                client.ok("POST", f"{path}/draws", "civil_affairs",
                          {"period": period, "amount_fen": c.service_fen})
                tally["monthly draws"] += 1
    if c.ended_days_ago is not None and state["ended_on"] is None:
        ended = today - timedelta(days=c.ended_days_ago)
        client.ok("POST", f"{path}/end", "civil_affairs", {"ended_on": ended.isoformat()})
        tally["contracts ended"] += 1
        state = client.ok("GET", path, "civil_affairs")
    if c.refunded_days_ago is not None and state["refund_remaining_fen"] > 0:
        paid = today - timedelta(days=c.refunded_days_ago)
        client.ok("POST", f"{path}/refunds", "civil_affairs", {
            "reference": dd.refund_reference(account, c),
            "amount_fen": state["refund_remaining_fen"], "paid_on": paid.isoformat()})
        tally["refunds issued"] += 1


def account(client: Client, a: dd.DemoAccount, today: Any, bar: tqdm, tally: Counter) -> None:
    uscc = a.uscc(today)
    base = f"/api/v1/institutions/{uscc}"
    opened = client.ok("POST", f"{base}/account", "civil_affairs", a.account_body())
    new = opened["events"] and not client.replayed
    tally["accounts opened" if new else "accounts unchanged"] += 1
    bar.update(1)
    for c in a.contracts:
        contract(client, base, c, a, today, tally)
        bar.update(1)
    totals = client.ok("GET", base, "finance")["totals"]
    if totals["balance_fen"] == 0:  # no statement yet (every demo statement nets above 0)
        csv = dd.statement_csv(a, today, totals["reserve_fen"])
        r = client.call("POST", f"{base}/statements", "finance", data=csv.encode(),
                        content_type="text/csv")
        if r.status_code != 200:
            raise DemoError(f"statement {uscc} -> {r.status_code}: {r.text[:500]}")
        events = r.json()["events"]
        tally["statements imported"] += 1
        tally["shortfalls detected"] += "EscrowShortfallDetected" in events
    else:
        tally["statements unchanged"] += 1
    bar.update(1)


def load(client: Client, registry_url: str | None) -> Counter:
    today = china_today(SystemClock())
    tally: Counter[str] = Counter()
    total = 1 + sum(2 + len(a.contracts) for a in dd.ACCOUNTS)
    with tqdm(total=total, desc="escrow demo", unit="op") as bar:
        if registry_url:
            check_registry(registry_url, [a.uscc(today) for a in dd.ACCOUNTS])
        bar.update(1)
        for a in dd.ACCOUNTS:
            account(client, a, today, bar, tally)
    return tally


def main(argv: list[str] | None = None) -> int:
    return run_demo("escrow", "http://127.0.0.1:8005",
                    lambda c, a: load(c, a.registry_url), argv)


if __name__ == "__main__":
    sys.exit(main())
