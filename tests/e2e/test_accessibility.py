"""Every public page checked with axe-core (WCAG 2.1 A and AA rules) in Debian's headless
Chromium, on a phone screen, in the normal and in the large-text + high-contrast mode: no
serious or critical violation. The pages are found from the public site's own routes, so a new
page is checked without anyone listing it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import requests

from tests.e2e.test_browser import make_browser

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOT_PAGES = ("/api/", "/static", "/healthz", "/readyz", "/metrics", "/ops/", "/auth/",
             "/regulator", "/leads", "/desk", "/dashboard")


def _axe_source() -> str:
    if not AXE.exists():  # make test installs it (make a11y); a bare pytest run does too
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                       cwd=AXE.parents[2], check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


def _samples(stack) -> dict[str, str]:
    """A value for each kind of URL parameter, from the demo data."""
    pub = stack.urls["projection"]
    uscc = requests.get(f"{pub}/api/v1/institutions", timeout=10).json()["items"][0]["uscc"]
    plans = requests.get(f"{stack.urls['inspection']}/api/v1/plans", timeout=10).json()
    return {"uscc": uscc, "plan_id": plans[0]["plan_id"] if plans else "none"}


def public_pages(stack) -> list[str]:
    """The GET routes of the public site that answer 200 with HTML to anyone."""
    from projection.bootstrap import create_app

    from shared.config import Settings

    app = create_app(Settings(service="projection"))
    samples = _samples(stack)
    urls = set()
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if "GET" not in rule.methods or path.startswith(NOT_PAGES) or \
                path.endswith((".json", ".csv", ".js", ".txt", ".xml")):
            continue
        names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", path)
        if any(n not in samples for n in names):
            continue
        urls.add(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: samples[m.group(1)], path))
    pages = []
    for url in sorted(urls):
        r = requests.get(stack.urls["projection"] + url, timeout=30, allow_redirects=False)
        if r.status_code == 200 and r.headers.get("Content-Type", "").startswith("text/html"):
            pages.append(url)
    return pages


def _violations(browser, source: str) -> list[dict]:
    browser.execute_script(source)
    found = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) { return {"
        " id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })};"
        " })); })"
        ".catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e),"
        " targets: []}]); });", RULES)
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.timeout(900)
def test_no_public_page_has_a_serious_or_critical_accessibility_violation(stack):
    source = _axe_source()
    pages = public_pages(stack)
    assert len(pages) >= 15, pages  # the directory, profile, credit, inspection, ... pages
    browser = make_browser()
    browser.set_script_timeout(60)
    failures = {}
    try:
        for mode in ("normal", "large-text high-contrast"):
            for url in pages:
                browser.get(stack.urls["projection"] + url)
                if mode != "normal":
                    browser.execute_script(
                        "document.documentElement.classList.add('large-text', 'high-contrast')")
                bad = _violations(browser, source)
                if bad:
                    failures[f"{mode} {url}"] = bad
    finally:
        browser.quit()
    print(f"axe-core checked {len(pages)} public pages in 2 modes: {len(failures)} with "
          "serious or critical violations")
    assert not failures, failures
