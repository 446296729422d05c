"""Draw refusals, the CLI, auth and validation through HTTP; nothing stored when refused."""

from __future__ import annotations

import json

from inspection.verify import main as verify_main

from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    drawn,
    joint_plan,
)


def _published(call, directory, fire: int = 3, **plan) -> str:
    add_institutions(directory, range(1, 7))
    add_inspectors(call, "civil_affairs", 3)
    if fire:
        add_inspectors(call, "fire_rescue", fire)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    pid = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items, **plan)).json[
        "plan_id"]
    assert call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").status_code == 200
    return pid


def test_a_draw_without_any_fire_inspector_fails_with_a_public_reason_and_draws_nothing(
        call, directory, store):
    """Each failed attempt is one public event with its reason; nothing is drawn or assigned,
    and the next attempt is numbered on (it would use a new public value)."""
    pid = _published(call, directory, fire=0)
    before = list(store.read_all())
    for attempt in (1, 2):
        r = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs")
        assert r.status_code == 422 and r.mimetype == "application/problem+json"
        assert "消防救援" in r.json["detail"] and r.json["department"] == "fire_rescue"
        assert f"第 {attempt} 次" in r.json["detail"]
    new = [e for e in store.read_all() if e not in before]
    assert [(e.name, e.data["attempt"]) for e in new] == [("DrawAttemptFailed", 1),
                                                          ("DrawAttemptFailed", 2)]
    plan = call("GET", f"/api/v1/plans/{pid}").json
    assert plan["status"] == "published" and plan["draw"] is None
    assert [(a["outcome"], a["attempt"]) for a in plan["attempts"]] == [("failed", 1),
                                                                        ("failed", 2)]
    assert all("消防救援" in a["reason"] for a in plan["attempts"])


def test_the_seed_stays_secret_until_the_draw(call, directory):
    pid = _published(call, directory)
    plan = call("GET", f"/api/v1/plans/{pid}").json
    assert plan["draw"] is None and "seed" not in json.dumps(plan["published"])
    drawn = call("POST", f"/api/v1/plans/{pid}/draw", "fire_rescue").json
    assert len(drawn["draw"]["seed"]) == 64
    again = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json
    assert again["draw"] == drawn["draw"]  # a retried draw returns the same draw


def test_cli_verifies_a_file_and_rejects_a_tampered_snapshot(call, directory, tmp_path):
    pid = _published(call, directory)
    draw = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]
    snapshot = json.loads(call("GET", f"/api/v1/plans/{pid}/snapshot").data)
    record = {**{k: draw[k] for k in ("seed", "commitment", "snapshot_hash", "result_hash",
                                      "conflict_openings", "secret", "attempt",
                                      "beacon_checkpoint")},
              "plan_id": pid, "snapshot": snapshot}
    good = tmp_path / "good.json"
    good.write_text(json.dumps(record), encoding="utf-8")
    assert verify_main(["--file", str(good)]) == 0
    snapshot["inspectors"][0]["active"] = False
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**record, "snapshot": snapshot}), encoding="utf-8")
    assert verify_main(["--file", str(bad)]) == 1
    assert verify_main(["--file", str(good), "--seed", "f" * 64]) == 1


def test_institutions_drawn_in_the_previous_batch_of_the_series_are_excluded(call, directory):
    pid = _published(call, directory, ratios={"A": 100, "B": 50, "C": 100, "D": 100})
    first = {t["uscc"] for t in call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs")
             .json["draw"]["tasks"]}
    items = ["civil_affairs/X1", "fire_rescue/X1"]
    body = joint_plan(items, batch=2, ratios={"A": 100, "B": 100, "C": 100, "D": 100})
    pid2 = call("POST", "/api/v1/plans", "civil_affairs", json=body).json["plan_id"]
    published = call("POST", f"/api/v1/plans/{pid2}/publication", "civil_affairs").json
    assert published["published"]["excluded_objects"] == len(first) == 3
    second = {t["uscc"] for t in call("POST", f"/api/v1/plans/{pid2}/draw", "civil_affairs")
              .json["draw"]["tasks"]}
    assert not first & second and len(second) == 3


def test_writes_need_the_right_department_and_valid_input(call, directory):
    assert call("POST", "/api/v1/plans", json={}).status_code == 401
    r = call("POST", "/api/v1/plans", "civil_affairs", json={"series": "X!", "year": "2026"})
    assert r.status_code == 422 and {"series", "year", "departments", "items"} <= set(
        r.json["errors"])
    r = call("POST", "/api/v1/departments/fire_rescue/inspectors", "civil_affairs",
             json={"inspector_id": "A1", "region": "500103", "certificate_no": "ZF0001"})
    assert r.status_code == 403
    r = call("POST", "/api/v1/plans", "health", json=joint_plan(["civil_affairs/X1"]))
    assert r.status_code == 403


def test_overdue_check_flags_a_result_left_unpublished(call, directory, clock):
    pid = _published(call, directory)
    task = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]["tasks"][0]
    url = f"/api/v1/tasks/{task['task_id']}"
    call("POST", f"{url}/inspection", "civil_affairs",
         sub=drawn(call, f"{url}", "civil_affairs"), json={"inspected_on": "2026-11-23"})
    r = call("POST", f"{url}/result", "civil_affairs",
         sub=drawn(call, f"{url}", "civil_affairs"), json={
        "item_outcomes": [{"item": "civil_affairs/X1", "outcome": "compliant"},
                          {"item": "fire_rescue/X1", "outcome": "not_applicable"}],
        "follow_up": "none"})
    assert r.status_code == 200, r.get_data(as_text=True)
    clock.advance(days=31)
    checks = call("POST", "/api/v1/checks/publication-overdue", "civil_affairs").json
    assert checks["flagged"] == [task["task_id"]]
    assert call("POST", "/api/v1/checks/publication-overdue", "civil_affairs").json[
        "flagged"] == []
    assert call("GET", url, "fire_rescue").json["overdue_on"] == "2026-12-24"


def test_a_plan_sampling_by_risk_class_draws_every_critical_institution(call, directory):
    """RiskClassChanged (the risk service's) reaches the directory; a plan with risk ratios
    stratifies by credit level and risk class, and the draw still verifies."""
    from datetime import UTC, datetime

    from shared.envelope import Envelope, ce_type, new_event_id

    usccs = add_institutions(directory, range(1, 7))
    for uscc in usccs[:2]:
        env = Envelope(id=new_event_id(), source="/eldercare/risk",
                       type=ce_type("risk", "RiskClassChanged"), subject=f"risk-{uscc}",
                       time=datetime(2026, 11, 20, tzinfo=UTC), stream_version=3,
                       data={"uscc": uscc, "risk_class": "critical", "previous": "low",
                             "changed_on": "2026-11-20"}, command_id="c",
                       actor_dept="system", actor="risk.consumer")
        assert directory.apply(env)
    add_inspectors(call, "civil_affairs", 3)
    add_inspectors(call, "fire_rescue", 3)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    body = joint_plan(items, ratios={"A": 1, "B": 1, "C": 1, "D": 1},
                      risk_ratios={"low": 1, "medium": 1, "high": 50, "critical": 100})
    created = call("POST", "/api/v1/plans", "civil_affairs", json=body)
    assert created.status_code == 201, created.json
    assert created.json["risk_ratios_bp"]["critical"] == 10_000
    pid = created.json["plan_id"]
    assert call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").status_code == 200
    draw = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]
    drawn_usccs = {t["uscc"] for t in draw["tasks"]}
    assert set(usccs[:2]) <= drawn_usccs
    critical = [s for s in draw["strata"] if s.get("risk_class") == "critical"]
    assert sum(s["eligible"] for s in critical) == 2 and sum(s["drawn"] for s in critical) == 2
    assert call("GET", f"/api/v1/plans/{pid}/verification").json["matches"] is True
