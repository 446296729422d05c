"""Load the fire-safety demo via its HTTP API: ``python -m devtools.demo.fire_safety --url URL``.

First each department registers its named officials (the register member lists are checked
against), then four inspections at registry demo institutions (see fire_safety_data): all
passed; a general hazard ordered, re-inspected and verified; a major hazard (collective
determination by three registered officers) ordered weeks ago and left overdue by
``POST /api/v1/checks/overdue`` so the 挂牌督办 page lists it; an item corrected on the spot.

Safe to run again: each inspection, order and re-inspection is read first and only what is
missing is recorded; writes carry an Idempotency-Key; the overdue check raises events once.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from tqdm import tqdm

from devtools.demo import fire_safety_data as dd
from devtools.demo.client import Client, DemoError, check_registry, run_demo
from shared.clock import SystemClock, china_today


def inspection(client: Client, item: dd.DemoInspection, today: Any, tally: Counter) -> None:
    """Record the inspection unless it exists (completed in the same request, or, with a
    major item, after each named member has confirmed its determination from their own
    account), then its orders."""
    path = f"/api/v1/inspections/{item.inspection_id}"
    found = client.get(path, "fire_rescue")
    recorded = found is None
    if found is None:
        found = client.ok("POST", "/api/v1/inspections", item.role, item.body(today),
                          expect=(201,))
        tally["inspections recorded"] += 1
    else:
        tally["inspections unchanged"] += 1
    if found["status"] != "completed":
        for code, members in item.determinations().items():
            for member in members:
                client.ok("POST", f"{path}/items/{code}/determination-votes",
                          f"fire_rescue/{member}", {"agree": True})
                tally["determinations confirmed"] += 1
        found = client.ok("POST", f"{path}/completion", item.role)
    if recorded:
        tally["hazards identified"] += len(found["hazards"])
    for order in item.orders:
        hid = f"{item.inspection_id}.{order.item_code}"
        hazard = client.get(f"/api/v1/hazards/{hid}", "fire_rescue")
        if hazard is None:
            raise DemoError(f"hazard {hid} missing after inspection {item.inspection_id}")
        if hazard["order"] is None:
            client.ok("POST", f"/api/v1/hazards/{hid}/rectification-order", "fire_rescue", {
                "deadline_workdays": order.deadline_workdays, "measures": order.measures,
                "served_on": dd.served_on(item, order, today).isoformat()})
            tally["orders served"] += 1
            hazard = client.ok("GET", f"/api/v1/hazards/{hid}", "fire_rescue")
        fixed_on = dd.reinspected_on(item, order, today)
        if fixed_on is not None and hazard["order"]["verified_on"] is None:
            client.ok("POST", f"/api/v1/hazards/{hid}/reinspections", "fire_rescue", {
                "outcome": "fixed", "inspectors": list(order.reinspectors),
                "evidence": order.evidence, "reinspected_on": fixed_on.isoformat()})
            tally["rectifications verified"] += 1


def load(client: Client, registry_url: str | None) -> Counter:
    today = china_today(SystemClock())
    tally: Counter[str] = Counter()
    with tqdm(total=len(dd.INSPECTIONS) + 3, desc="fire_safety demo", unit="op") as bar:
        if registry_url:
            check_registry(registry_url, [i.uscc(today) for i in dd.INSPECTIONS])
        bar.update(1)
        for dept, login, duty in dd.OFFICIALS:
            if client.new("POST", f"/api/v1/departments/{dept}/officials", dept,
                          dd.official_body(login, duty)):
                tally["officials registered"] += 1
        bar.update(1)
        for item in dd.INSPECTIONS:
            inspection(client, item, today, tally)
            bar.update(1)
        # the scheduled check, now: the major hazard's deadline has passed (raised once)
        report = client.ok("POST", "/api/v1/checks/overdue", "fire_rescue", key=False)
        for raised in report["raised"]:
            tally[f"{raised['event']} raised"] += 1
        bar.update(1)
    return tally


def main(argv: list[str] | None = None) -> int:
    return run_demo("fire_safety", "http://127.0.0.1:8003",
                    lambda c, a: load(c, a.registry_url), argv)


if __name__ == "__main__":
    sys.exit(main())
