"""Load the inspection demo through the HTTP API: ``python -m devtools.demo.inspection --url URL``.

Rosters (3 inspectors each for civil affairs and fire rescue, one with a declared conflict),
four inspection items, one joint plan published and drawn, and results recorded and published
for the first drawn tasks. Institutions are the registry demo's, recomputed from
devtools.demo.registry_data; the plan waits until this service's object directory holds them.

Safe to run again: every state is read first and only what is missing is done, and every
write carries an Idempotency-Key. Which institutions the draw picks depends on the seed the
service makes at publication, so it differs between data folders (that is the point).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from typing import Any

from tqdm import tqdm

from devtools.demo import inspection_data as dd
from devtools.demo.client import Client, DemoError, _checked, check_registry, run_demo
from shared.clock import SystemClock, china_today

WAIT_SECONDS = 90.0


def wait_for_objects(client: Client, usccs: list[str], timeout: float = WAIT_SECONDS) -> None:
    """The object directory is fed from the registry's events: wait until it holds them."""
    deadline, left = time.monotonic() + timeout, list(usccs)
    while left:
        left = [u for u in left if client.call("GET", f"/api/v1/objects/{u}",
                                               "civil_affairs").status_code != 200]
        if not left:
            return
        if time.monotonic() > deadline:
            raise DemoError(f"object directory still lacks {len(left)} institution(s) after "
                            f"{timeout:.0f}s, e.g. {left[0]}: is inspection.consumer running?")
        time.sleep(0.5)


def directories(client: Client, today: Any, bar: tqdm, tally: Counter) -> None:
    for i in dd.INSPECTORS:
        created = client.new("POST", f"/api/v1/departments/{i.department}/inspectors",
                             i.department, i.body(today))
        tally["inspectors new" if created else "inspectors unchanged"] += 1
        bar.update(1)
    for dept, body in dd.ITEMS:
        created = client.new("POST", f"/api/v1/departments/{dept}/items", dept, body)
        tally["items new" if created else "items unchanged"] += 1
        bar.update(1)


def draw_when_ready(client: Client, pid: str, timeout: float = 120.0) -> dict[str, Any]:
    """Draw once the transparency log has signed the checkpoint the draw mixes in (the
    service answers 409 until then)."""
    deadline = time.monotonic() + timeout
    while True:
        resp = client.call("POST", f"/api/v1/plans/{pid}/draw", "fire_rescue")
        if resp.status_code != 409 or time.monotonic() > deadline:
            return _checked(resp, (200, 201))
        time.sleep(1)


def plan(client: Client, today: Any, registry_objects: list[str], bar: tqdm,
         tally: Counter) -> dict[str, Any]:
    """Create, publish and draw the joint plan (each only if not done yet); the drawn plan."""
    pid = dd.plan_id(today)
    state = client.get(f"/api/v1/plans/{pid}", "civil_affairs")
    if state is None:
        client.ok("POST", "/api/v1/plans", "civil_affairs", dd.plan_spec(today))
        tally["plan created"] += 1
    bar.update(1)
    if state is None or state["status"] == "draft":
        wait_for_objects(client, registry_objects)
        client.ok("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs")
        tally["plan published"] += 1
    bar.update(1)
    if state is None or state["status"] != "drawn":
        drawn = draw_when_ready(client, pid)
        tally["plan drawn"] += 1
    else:
        drawn = state
        tally["plan unchanged"] += 1
    bar.update(1)
    return drawn


def results(client: Client, today: Any, drawn: dict[str, Any], bar: tqdm,
            tally: Counter) -> None:
    """Visit, record and publish the first drawn tasks; leave the others assigned."""
    tasks = sorted((drawn.get("draw") or {}).get("tasks", []), key=lambda t: t["uscc"])
    tally["tasks drawn"] = len(tasks)
    for n in range(dd.RESULTS_TO_RECORD):
        if n >= len(tasks):
            bar.update(1)
            continue
        tid = tasks[n]["task_id"]
        task = client.ok("GET", f"/api/v1/tasks/{tid}", "fire_rescue")
        status = task["status"]
        # only an inspector drawn for the task records it, from their own account
        inspector = next((k for k in task["inspectors"] if k.startswith("fire_rescue/")),
                         task["inspectors"][0])
        if status == "assigned":
            client.ok("POST", f"/api/v1/tasks/{tid}/inspection", inspector,
                      {"inspected_on": today.isoformat()})
        if status in ("assigned", "inspected"):
            body = dd.result_body(n)
            client.ok("POST", f"/api/v1/tasks/{tid}/result", inspector, body)
            tally["results recorded"] += 1
            tally["problem_found"] += any(o["outcome"] == "problem_found"
                                          for o in body["item_outcomes"])
        if status != "published":
            client.ok("POST", f"/api/v1/tasks/{tid}/publication", "civil_affairs")
            tally["results published"] += 1
        else:
            tally["results unchanged"] += 1
        bar.update(1)


def load(client: Client, registry_url: str | None, count: int) -> Counter:
    today = china_today(SystemClock())
    objects = [d.uscc for d in dd.plan_objects(today, count)]
    tally: Counter[str] = Counter()
    total = len(dd.INSPECTORS) + len(dd.ITEMS) + 3 + dd.RESULTS_TO_RECORD
    with tqdm(total=total, desc="inspection demo", unit="op") as bar:
        if registry_url:
            check_registry(registry_url, objects)
        directories(client, today, bar, tally)
        drawn = plan(client, today, objects, bar, tally)
        results(client, today, drawn, bar, tally)
    return tally


def _count_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--count", type=int, default=dd.REGISTRY_COUNT,
                   help="institutions the registry demo loaded (default 60)")


def main(argv: list[str] | None = None) -> int:
    return run_demo("inspection", "http://127.0.0.1:8002",
                    lambda c, a: load(c, a.registry_url, a.count), argv, _count_arg)


if __name__ == "__main__":
    sys.exit(main())
