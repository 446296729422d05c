"""The demo data set of every service (loaded by the session stack, demo=True) reaches each
feature's public pages: plans and results, 挂牌督办, penalties, the dishonesty list, joint
enforcement, and escrow compliance."""

from __future__ import annotations

import re
from datetime import date

import requests

from devtools.demo import credit_data as credit_demo
from devtools.demo import escrow_data as escrow_demo
from devtools.demo import fire_safety_data as fire_demo
from devtools.demo import inspection_data as inspection_demo
from devtools.demo.registry_data import build
from shared.clock import SystemClock, china_today
from tests.e2e.conftest import bearer, poll


def _today() -> date:
    return china_today(SystemClock())


def _page(stack, path: str, role: str | None = None) -> str:
    headers = bearer(stack, role) if role else {}
    r = requests.get(f"{stack.urls['projection']}{path}", headers=headers, timeout=10)
    return r.text if r.status_code == 200 else ""


def _shows(stack, path: str, *texts: str, role: str | None = None) -> str:
    """The page once it contains every text (polled: the projection is eventually consistent)."""
    return poll(lambda: (lambda t: t if all(x in t for x in texts) else None)(
        _page(stack, path, role)), timeout=30, every=0.2)


def test_every_service_demo_loaded(stack):
    assert getattr(stack, "demo_failures", None) == [], "a service demo failed: see the log"


def test_inspection_pages_show_the_joint_plan_and_published_results(stack):
    today = _today()
    pid = inspection_demo.plan_id(today)
    _shows(stack, "/inspection/", pid, inspection_demo.plan_spec(today)["title"])
    plan = requests.get(f"{stack.urls['inspection']}/api/v1/plans/{pid}", timeout=10).json()
    assert plan["status"] == "drawn" and plan["draw"]["tasks"]
    _shows(stack, f"/inspection/plans/{pid}", plan["draw"]["seed"])
    tasks = requests.get(f"{stack.urls['inspection']}/api/v1/plans/{pid}/tasks",
                         headers=bearer(stack, "civil_affairs"), timeout=10).json()
    published = [t for t in tasks if t["status"] == "published"]
    assert len(published) == min(len(tasks), inspection_demo.RESULTS_TO_RECORD)
    assert any(t["result"]["problem_found"] for t in published)
    for t in published:
        _shows(stack, f"/inspection/institutions/{t['uscc']}", pid, t["result"]["findings"])
    _shows(stack, "/inspection/items", *(body["name"] for _, body in inspection_demo.ITEMS))


def test_fire_safety_supervised_page_shows_the_overdue_major_hazard(stack):
    major = next(i for i in fire_demo.INSPECTIONS if i.inspection_id == "FI-DEMO-03")
    uscc = major.uscc(_today())
    _shows(stack, "/fire-safety/", f'data-uscc="{uscc}"')
    _shows(stack, f"/fire-safety/institutions/{uscc}", 'class="overdue-item"')
    verified = next(i for i in fire_demo.INSPECTIONS if i.inspection_id == "FI-DEMO-02")
    assert f'data-uscc="{verified.uscc(_today())}"' not in _page(stack, "/fire-safety/")


def test_credit_pages_show_penalties_listing_and_measures(stack):
    today = _today()
    shown = [p.decision_no(today) for p in credit_demo.PENALTIES if p.published]
    warning = [p.decision_no(today) for p in credit_demo.PENALTIES if not p.published]
    assert len(shown) >= 2 and warning
    page = _shows(stack, "/credit/penalties", *shown)
    assert not any(w in page for w in warning), "a warning must never be published"
    listed = build(credit_demo.LISTING.institution, today)
    _shows(stack, "/credit/dishonesty", listed.filing["name"], f'data-uscc="{listed.uscc}"')
    joint = _shows(stack, "/credit/joint-enforcement", f"{listed.uscc}-1.finance.",
                   role="finance")
    assert "已执行" in joint


def test_escrow_page_shows_accounts_and_the_shortfall(stack):
    today = _today()

    def rows() -> dict[str, str] | None:
        page = _page(stack, "/escrow/")
        found = dict(re.findall(r'<tr data-uscc="([0-9A-Z]{18})">(.*?)</tr>', page, re.S))
        wanted = [a.uscc(today) for a in escrow_demo.ACCOUNTS]
        if all(u in found and "escrow-unknown" not in found[u] for u in wanted):
            return found
        return None

    found = poll(rows, timeout=30, every=0.2)
    for a in escrow_demo.ACCOUNTS:
        status = "escrow-compliant" if a.reserve_booked else "escrow-non_compliant"
        assert status in found[a.uscc(today)], (a.uscc(today), found[a.uscc(today)])
