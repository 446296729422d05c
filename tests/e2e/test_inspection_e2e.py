"""双随机一公开 through the whole platform: a filed institution reaches the object directory,
a joint plan is published and drawn, the draw verifies, a result is recorded and published,
and the public pages show plan, seed and result."""

from __future__ import annotations

import requests
from inspection.verify import main as verify_main

from shared.clock import SystemClock, china_today
from tests.e2e.conftest import (
    bearer,
    enterprise,
    filing,
    make_uscc,
    poll,
    push_bearer,
    wait_for_beacon,
)

NAME = "重庆市渝中区双随机测试养老院"


def _post(stack, path: str, role: str, body: dict | None = None) -> dict:
    """``role``: a department, or "<department>/<login>" for that named inspector."""
    if "/" in role:
        dept, login = role.split("/", 1)
        headers = {"Authorization": "Bearer " + stack.tokens.official(
            login, dept, ("100000",), ("inspector",))}
    else:
        headers = bearer(stack, role)
    r = requests.post(f"{stack.urls['inspection']}/api/v1{path}", json=body,
                      headers=headers, timeout=30)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _file_institution(stack, uscc: str) -> None:
    reg = stack.urls["registry"]
    requests.post(f"{reg}/api/v1/enterprise-registrations/batch",
                  json={"records": [enterprise(uscc, NAME)]},
                  headers=push_bearer(stack), timeout=10).raise_for_status()
    requests.post(f"{reg}/api/v1/institutions/{uscc}/filing", json=filing(NAME),
                  headers=bearer(stack, "civil_affairs"), timeout=10).raise_for_status()
    poll(lambda: requests.get(f"{stack.urls['inspection']}/api/v1/objects/{uscc}",
                              headers=bearer(stack, "civil_affairs"), timeout=5).ok)


def _directories(stack) -> list[str]:
    for dept, n in (("civil_affairs", 3), ("fire_rescue", 2)):
        for i in range(n):
            _post(stack, f"/departments/{dept}/inspectors", dept, {
                "inspector_id": f"e2e-{dept[:2]}{i}", "region": "500103",
                "certificate_no": f"ZFE2E{dept[:2].upper()}{i:04d}"})
    return [_post(stack, f"/departments/{d}/items", d, {
        "item_id": "E2E-01", "name": "联合检查事项", "legal_basis": "《养老机构管理办法》",
        "method": "on_site"})["ref"] for d in ("civil_affairs", "fire_rescue")]


def _published_plan(stack, serial: int, series: str, title: str) -> tuple[str, str]:
    """A filed institution and a joint plan drawing every one, published, its draw's public
    value signed by the log: (USCC, plan id)."""
    uscc = make_uscc(serial)
    _file_institution(stack, uscc)
    items = _directories(stack)
    pid = _post(stack, "/plans", "civil_affairs", {
        "series": series, "year": 2026, "batch": 1, "title": title,
        "departments": ["civil_affairs", "fire_rescue"], "items": items,
        "ratios": {"A": 100, "B": 100, "C": 100, "D": 100}})["plan_id"]
    assert _post(stack, f"/plans/{pid}/publication", "civil_affairs")["published"]["objects"] >= 1
    wait_for_beacon(stack, pid)
    return uscc, pid


def test_plan_draw_result_and_public_pages_end_to_end(stack):
    uscc, pid = _published_plan(stack, 9301, "e2e", "端到端联合抽查")
    items = _directories(stack)  # the same items again (idempotent)
    drawn = _post(stack, f"/plans/{pid}/draw", "fire_rescue")["draw"]
    task = next(t for t in drawn["tasks"] if t["uscc"] == uscc)["task_id"]
    api = stack.urls["inspection"]
    assert requests.get(f"{api}/api/v1/plans/{pid}/verification", timeout=30).json()["matches"]
    assert verify_main(["--plan", pid, "--url", api]) == 0
    # end to end with the log: the draw's public value is the log's first signed checkpoint
    # holding the plan's publication; a checkpoint other than that one is refused
    from translog.keys import load

    log_key = load({"TRANSLOG_KEY_FILE": stack.env["TRANSLOG_KEY_FILE"]}).verifier_key
    log = ["--log-url", stack.urls["translog"], "--log-key", log_key]
    assert verify_main(["--plan", pid, "--url", api, *log]) == 0
    assert drawn["beacon_checkpoint"] == wait_for_beacon(stack, pid)["checkpoint"]
    import pytest
    from inspection.verify import check_beacons, from_service

    from shared.tlog import Failed

    record = from_service(api, pid)
    origin, size, _root = record["attempts"][-1]["beacon_checkpoint"].split("\n")[:3]
    record["attempts"][-1]["beacon_checkpoint"] = f"{origin}\n{size}\n{'A' * 43}=\n"
    with pytest.raises(Failed, match="another checkpoint"):  # a value the operator chose
        check_beacons(record, stack.urls["translog"], log_key)
    today = china_today(SystemClock()).isoformat()  # not before the draw, not in the future
    team = requests.get(f"{api}/api/v1/tasks/{task}", headers=bearer(stack, "fire_rescue"),
                        timeout=30).json()["inspectors"]
    inspector = next(k for k in team if k.startswith("fire_rescue/"))  # a drawn inspector
    _post(stack, f"/tasks/{task}/inspection", inspector, {"inspected_on": today})
    _post(stack, f"/tasks/{task}/result", inspector, {
        "item_outcomes": [{"item": items[0], "outcome": "compliant"},
                          {"item": items[1], "outcome": "problem_found"}],
        "findings": "疏散通道堆放杂物", "follow_up": "rectification_ordered"})
    assert _post(stack, f"/tasks/{task}/publication", "civil_affairs")["status"] == "published"
    site = stack.urls["projection"]
    page = poll(lambda: (lambda t: t if "疏散通道堆放杂物" in t else None)(
        requests.get(f"{site}/inspection/institutions/{uscc}", timeout=5).text))
    assert "责令整改" in page and "ZFE2E" not in page
    plan_page = poll(lambda: (lambda t: t if drawn["seed"] in t else None)(
        requests.get(f"{site}/inspection/plans/{pid}", timeout=5).text))
    assert drawn["result_hash"] in plan_page


def test_a_voided_draw_and_its_redraw_verify_end_to_end_against_the_log(stack):
    """Publish, draw, void with a reason, redraw: the redraw's public value is the log's first
    checkpoint holding the voiding, the chain of attempts is public, the old tasks are
    cancelled, and the CLI verifies all of it against the log."""
    from translog.keys import load

    _, pid = _published_plan(stack, 9302, "e2e-void", "端到端作废重抽")
    first = _post(stack, f"/plans/{pid}/draw", "civil_affairs")["draw"]
    voided = _post(stack, f"/plans/{pid}/draw-voiding", "civil_affairs",
                   {"reason": "端到端测试：名录快照需更新"})
    assert voided["status"] == "published"
    beacon = wait_for_beacon(stack, pid, attempt=2)  # the voiding, logged and signed
    again = _post(stack, f"/plans/{pid}/draw", "civil_affairs")
    second = again["draw"]
    assert second["attempt"] == 2 and second["beacon_checkpoint"] == beacon["checkpoint"]
    assert [(a["attempt"], a["outcome"]) for a in again["attempts"]] == [
        (1, "drawn"), (1, "voided"), (2, "drawn")]
    api = stack.urls["inspection"]
    old = requests.get(f"{api}/api/v1/tasks/{first['tasks'][0]['task_id']}",
                       headers=bearer(stack, "civil_affairs"), timeout=10).json()
    assert old["status"] == "cancelled"
    log_key = load({"TRANSLOG_KEY_FILE": stack.env["TRANSLOG_KEY_FILE"]}).verifier_key
    assert verify_main(["--plan", pid, "--url", api, "--log-url", stack.urls["translog"],
                        "--log-key", log_key]) == 0
    # the page folds the voiding and the redraw as their events arrive: wait for both
    page = poll(lambda: (r := requests.get(
        f"{stack.urls['projection']}/inspection/plans/{pid}", timeout=10)).ok
        and "端到端测试：名录快照需更新" in r.text and r.text.count('class="attempt ') >= 3
        and r.text, timeout=30, every=0.5)
    assert page.count('class="attempt ') == 3
