"""Load the complaints demo through the hotline API: ``python -m devtools.demo.complaints``.

Five complaints pushed by the 12349 and 12345 hotline systems (the machine client with scope
complaints:intake), each with its own ticket number, so a second run stores nothing new:

* three about fees and deposits at 康乐 (registry demo #0), whose escrow statement shows a
  shortfall and whose over-the-cap deposit was refused: with them the risk service raises a
  red alert, and a targeted inspection opens for civil affairs;
* one of elder abuse at registry demo #4: civil affairs and public security get it at once,
  and it is a red alert on its own;
* one about food safety at registry demo #5, for market supervision.

Callers' phone numbers are made up (and stay encrypted in the service).
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from tqdm import tqdm

from devtools.demo.client import Client, DemoError, check_registry, run_demo
from devtools.demo.registry_data import build
from shared.clock import SystemClock, china_today

INTAKE_SCOPE = "complaints:intake"
H12345, H12349 = "hotline_12345", "hotline_12349"
COMPLAINTS = (  # (ticket, channel, registry demo index, category, words)
    ("12349-DEMO-0001", H12349, 0, "fees_deposits", "入住时收了三万元押金，退住两个月仍未退还。"),
    ("12349-DEMO-0002", H12349, 0, "fees_deposits", "要求一次性预交两年服务费，否则不给床位。"),
    ("12345-DEMO-0003", H12345, 0, "fees_deposits", "押金收据上的金额和实际交的不一致。"),
    ("12345-DEMO-0004", H12345, 4, "elder_abuse", "夜班护理员推搡老人，老人手臂有淤青。"),
    ("12349-DEMO-0005", H12349, 5, "food_safety", "食堂饭菜变质，多位老人腹泻。"),
)


def load(client: Client, registry_url: str | None) -> Counter:
    today = china_today(SystemClock())
    usccs = {i: build(i, today).uscc for i in {c[2] for c in COMPLAINTS}}
    if registry_url:
        check_registry(registry_url, list(usccs.values()))
    token = client.tokens("civil_affairs", INTAKE_SCOPE)  # the hotline's machine client
    tally: Counter[str] = Counter()
    for n, (ticket, channel, index, category, words) in enumerate(tqdm(
            COMPLAINTS, desc="complaints demo", unit="op")):
        record = build(index, today)
        body: dict[str, Any] = {
            "channel": channel, "ticket": ticket, "category": category,
            "description": words, "institution_uscc": usccs[index],
            "institution_name": record.filing["name"], "anonymous": n % 2 == 1,
            "contact_name": "" if n % 2 else "张先生",
            "contact_phone": "" if n % 2 else f"1390000{n:04d}"}
        resp = client.session.post(f"{client.url}/api/v1/intake/complaints", json=body,
                                   headers={"Authorization": f"Bearer {token}"},
                                   timeout=client.timeout)
        if resp.status_code not in (200, 201):
            raise DemoError(f"{ticket} -> {resp.status_code}: {resp.text[:300]}")
        tally["complaints filed" if resp.status_code == 201 else "complaints unchanged"] += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    return run_demo("complaints", "http://127.0.0.1:8008",
                    lambda c, a: load(c, a.registry_url), argv)


if __name__ == "__main__":
    sys.exit(main())
