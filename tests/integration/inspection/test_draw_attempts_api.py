"""Draw attempts through HTTP on MongoDB: a seed planted in the store before publication is
never used; a voided draw cancels its tasks and the redraw is a new, verifiable attempt with
new tasks; every attempt is listed with its reason and the verification checks the chain."""

from __future__ import annotations

import json

from inspection.adapters.vault import SEEDS
from inspection.domain.canonical import commitment
from inspection.verify import main as verify_main

from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    drawn,
    joint_plan,
)


def _plan(call, directory, batch: int = 1) -> str:
    add_institutions(directory, range(1, 7))
    add_inspectors(call, "civil_affairs", 3)
    add_inspectors(call, "fire_rescue", 3)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    r = call("POST", "/api/v1/plans", "civil_affairs",
             json=joint_plan(items, batch=batch, ratios={"A": 100, "B": 100, "C": 100, "D": 100}))
    assert r.status_code == 201, r.get_data(as_text=True)
    return str(r.json["plan_id"])


def test_a_seed_planted_before_publication_is_ignored(call, directory, db):
    pid = _plan(call, directory)
    planted = "00" * 32
    db[SEEDS].insert_one({"_id": pid, "seed": planted})  # the old per-plan slot
    db[SEEDS].insert_one({"_id": f"c:{commitment(planted)}", "plan_id": pid,
                          "secret": planted})
    published = call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").json
    assert published["published"]["commitment"] != commitment(planted)
    assert published["published"]["beacon"] == "translog-first-checkpoint/v1"
    draw = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]
    assert draw["secret"] != planted and commitment(draw["secret"]) == draw["commitment"]


def test_a_voided_draw_cancels_its_tasks_and_the_redraw_is_a_new_verifiable_attempt(
        call, directory, tmp_path):
    pid = _plan(call, directory)
    call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs")
    first = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]
    assert first["attempt"] == 1
    short = call("POST", f"/api/v1/plans/{pid}/draw-voiding", "civil_affairs",
                 json={"reason": "短"})
    assert short.status_code == 422 and "reason" in short.json["errors"]
    r = call("POST", f"/api/v1/plans/{pid}/draw-voiding", "civil_affairs",
             json={"reason": "名录快照遗漏新备案机构，需重抽"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["status"] == "published" and r.json["draw"] is None
    again = call("POST", f"/api/v1/plans/{pid}/draw-voiding", "civil_affairs",
                 json={"reason": "名录快照遗漏新备案机构，需重抽"})  # a retry: the same answer
    assert again.status_code == 200 and again.json["attempts"] == r.json["attempts"]
    other = call("POST", f"/api/v1/plans/{pid}/draw-voiding", "civil_affairs",
                 json={"reason": "另一个理由，不是重试"})
    assert other.status_code == 409  # nothing left to void
    for t in first["tasks"]:
        task = call("GET", f"/api/v1/tasks/{t['task_id']}", "civil_affairs").json
        assert task["status"] == "cancelled"
    again = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json
    second = again["draw"]
    assert second["attempt"] == 2 and second["seed"] != first["seed"]
    assert second["secret"] == first["secret"]  # one committed secret, a new public value
    assert second["beacon_checkpoint"] != first["beacon_checkpoint"]
    assert not {t["task_id"] for t in first["tasks"]} & {t["task_id"] for t in second["tasks"]}
    assert [(a["attempt"], a["outcome"]) for a in again["attempts"]] == [
        (1, "drawn"), (1, "voided"), (2, "drawn")]
    ok = call("GET", f"/api/v1/plans/{pid}/verification").json
    assert ok["matches"] is True and ok["checks"]["attempts"] and ok["checks"]["seed"]
    # the CLI on the public data; then with an attempt removed from the chain
    snapshot = json.loads(call("GET", f"/api/v1/plans/{pid}/snapshot").data)
    record = {**{k: second[k] for k in ("seed", "commitment", "snapshot_hash", "result_hash",
                                        "conflict_openings", "secret", "attempt",
                                        "beacon_checkpoint")},
              "plan_id": pid, "snapshot": snapshot, "attempts": again["attempts"]}
    good = tmp_path / "good.json"
    good.write_text(json.dumps(record), encoding="utf-8")
    assert verify_main(["--file", str(good)]) == 0
    hidden = tmp_path / "hidden.json"
    hidden.write_text(json.dumps({**record, "attempts": again["attempts"][2:]}),
                      encoding="utf-8")
    assert verify_main(["--file", str(hidden)]) == 1


def test_a_draw_cannot_be_voided_once_an_inspection_was_carried_out(call, directory):
    pid = _plan(call, directory)
    call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs")
    task = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]["tasks"][0]
    url = f"/api/v1/tasks/{task['task_id']}"
    inspector = drawn(call, url, "civil_affairs")
    r = call("POST", f"{url}/inspection", "civil_affairs", sub=inspector,
             json={"inspected_on": "2026-11-23"})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    refused = call("POST", f"/api/v1/plans/{pid}/draw-voiding", "civil_affairs",
                   json={"reason": "名录快照有误，需要重抽"})
    assert refused.status_code == 409 and "已开展检查" in refused.json["detail"]
    assert call("GET", f"/api/v1/plans/{pid}").json["status"] == "drawn"
