"""Load the credit demo through the HTTP API: ``python -m devtools.demo.credit --url URL``.

Four penalty decisions at registry demo institutions (a warning that is never published, a
low fine and two larger fines, published), and one serious-dishonesty listing: proposed by
fire rescue, decided by civil affairs, its joint-punishment measures reported executed by
their departments (see devtools.demo.credit_data).

Safe to run again: each penalty and the listing are read first and only what is missing is
done; writes carry an Idempotency-Key.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from tqdm import tqdm

from devtools.demo import credit_data as dd
from devtools.demo.client import Client, check_registry, run_demo
from shared.clock import SystemClock, china_today


def penalty(client: Client, p: dd.DemoPenalty, today: Any, tally: Counter) -> None:
    """Record the decision unless it is there; publish it unless it is a warning."""
    pid = dd.penalty_id_for(p.decision_no(today))
    state = client.get(f"/api/v1/penalties/{pid}", p.role)
    if state is None:
        state = client.ok("POST", "/api/v1/penalties", p.role, p.body(today))
        tally["penalties recorded"] += 1
    else:
        tally["penalties unchanged"] += 1
    if p.published and state["published_on"] is None:
        client.ok("POST", f"/api/v1/penalties/{pid}/publication", p.role)
        tally["penalties published"] += 1
    elif not p.published:
        tally["warnings (not published)"] += 1


def listing(client: Client, today: Any, bar: tqdm, tally: Counter) -> dict[str, Any] | None:
    """Proposal by fire rescue, then the decision by civil affairs (each once)."""
    item = dd.LISTING
    uscc = item.uscc(today)
    path = f"/api/v1/dishonesty/{uscc}"
    state = client.get(path, "civil_affairs")
    cur = (state or {}).get("listing")
    if cur is None or cur["status"] in ("rejected", "delisted"):
        if cur is None:
            client.ok("POST", f"{path}/proposal", item.proposer, item.proposal(today),
                      expect=(201,))
            tally["listing proposed"] += 1
            cur = {"status": "proposed"}
        else:
            tally[f"listing left {cur['status']}"] += 1
    bar.update(1)
    if cur["status"] == "proposed":
        cur = client.ok("POST", f"{path}/decision", "civil_affairs",
                        item.decision(today))["listing"]
        tally["listing decided"] += 1
    elif cur["status"] == "listed":
        tally["listing unchanged"] += 1
    bar.update(1)
    return cur if cur["status"] == "listed" else None


def measures(client: Client, uscc: str, listed: dict[str, Any], today: Any,
             tally: Counter) -> None:
    """Each department reports its measures executed (once)."""
    for m in listed.get("measures", []):
        if m["executed_on"] is None and m["lifted_on"] is None:
            client.ok("POST", f"/api/v1/dishonesty/{uscc}/measures/{m['measure_id']}/execution",
                      m["department"], {"note": dd.execution_note(m["department"], m["code"],
                                                                  today)})
            tally["measures executed"] += 1
        else:
            tally["measures unchanged"] += 1
    tally["measures issued"] = len(listed.get("measures", []))


def load(client: Client, registry_url: str | None) -> Counter:
    today = china_today(SystemClock())
    tally: Counter[str] = Counter()
    with tqdm(total=len(dd.PENALTIES) + 4, desc="credit demo", unit="op") as bar:
        if registry_url:
            check_registry(registry_url, [*(p.uscc(today) for p in dd.PENALTIES),
                                          dd.LISTING.uscc(today)])
        bar.update(1)
        for p in dd.PENALTIES:
            penalty(client, p, today, tally)
            bar.update(1)
        listed = listing(client, today, bar, tally)
        if listed is not None:
            measures(client, dd.LISTING.uscc(today), listed, today, tally)
        bar.update(1)
    return tally


def main(argv: list[str] | None = None) -> int:
    return run_demo("credit", "http://127.0.0.1:8004",
                    lambda c, a: load(c, a.registry_url), argv)


if __name__ == "__main__":
    sys.exit(main())
