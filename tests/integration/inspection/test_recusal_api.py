"""Recusal after the draw through HTTP (行政处罚法 art. 43), and what the public sees of a
plan's snapshot before and after the draw (declared conflicts never in clear)."""

from __future__ import annotations

import hashlib
import json

from inspection.verify import main as verify_main

from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    drawn,
    joint_plan,
)
from tests.unit.inspection.builders import make_uscc

ELSEWHERE = "91500104MA0000100X"  # a conflict with an institution outside the plan's scope


def _plan(call, directory, fire: int = 4, conflicts: list[str] | None = None) -> str:
    usccs = add_institutions(directory, range(1, 7))
    add_inspectors(call, "civil_affairs", 3)
    add_inspectors(call, "fire_rescue", fire)
    r = call("PATCH", "/api/v1/departments/fire_rescue/inspectors/I0000", "fire_rescue",
             json={"conflicts": conflicts if conflicts is not None else [ELSEWHERE, usccs[0]]})
    assert r.status_code == 200, r.get_data(as_text=True)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    pid = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items)).json["plan_id"]
    assert call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").status_code == 200
    return pid


def _drawn(call, directory, **kw) -> tuple[str, dict]:
    pid = _plan(call, directory, **kw)
    r = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs")
    assert r.status_code == 200, r.get_data(as_text=True)
    return pid, r.json["draw"]


def _fire_member(task: dict) -> str:
    return next(k for k in task["inspectors"] if k.startswith("fire_rescue/"))


def _request(call, pid: str, task: dict, key: str, role: str = "civil_affairs",
             by: str = "institution"):
    return call("POST", f"/api/v1/plans/{pid}/recusals", role, json={
        "task_id": task["task_id"], "inspector": key, "requested_by": by,
        "reason": "检查人员与本机构负责人系近亲属"})


def _public_bodies(call, pid: str) -> dict[str, str]:
    urls = ["/api/v1/plans", f"/api/v1/plans/{pid}", f"/api/v1/plans/{pid}/snapshot",
            f"/api/v1/plans/{pid}/verification", "/api/v1/items"]
    return {u: call("GET", u).get_data(as_text=True) for u in urls}


def test_only_the_recused_inspectors_department_may_decide_a_recusal(call, directory):
    pid, draw = _drawn(call, directory)
    task = draw["tasks"][0]
    out = _fire_member(task)
    assert _request(call, pid, task, out, role="health").status_code == 403  # not in the plan
    r = _request(call, pid, task, out)  # civil affairs records the institution's application
    assert r.status_code == 201 and r.json["status"] == "pending", r.get_data(as_text=True)
    rid = r.json["recusal_id"]
    url = f"/api/v1/plans/{pid}/recusals/{rid}/decision"
    for role in ("civil_affairs", "health", "admin"):  # plan's other department, outsiders
        r = call("POST", url, role, json={"approved": True})
        assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert call("GET", f"/api/v1/plans/{pid}/recusals", "civil_affairs").json[0][
        "status"] == "pending"
    r = call("POST", url, "fire_rescue", json={"approved": True, "reason": "近亲属，应当回避"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["status"] == "approved" and r.json["decision"]["department"] == "fire_rescue"
    assert r.json["replacement"]["recused"] == out


def test_an_approved_recusal_replaces_the_inspector_and_the_draw_still_verifies(
        call, directory, store, tmp_path):
    pid, draw = _drawn(call, directory)
    task = draw["tasks"][0]
    out = _fire_member(task)
    rid = _request(call, pid, task, out, role="fire_rescue", by="inspector").json["recusal_id"]
    url = f"/api/v1/plans/{pid}/recusals/{rid}/decision"
    decided = call("POST", url, "fire_rescue", json={"approved": True}).json
    new = decided["replacement"]["replacement"]
    assert new.startswith("fire_rescue/") and new not in task["inspectors"]
    assert call("POST", url, "fire_rescue", json={"approved": True}).json == decided  # retry
    assert call("POST", url, "fire_rescue", json={"approved": False, "reason": "x"}
                ).status_code == 409
    plan = call("GET", f"/api/v1/plans/{pid}").json
    assert plan["draw"] == draw  # the original draw is not rewritten
    assert [r["replacement"] for r in plan["replacements"]] == [new]
    got = call("GET", f"/api/v1/tasks/{task['task_id']}", "civil_affairs").json
    assert got["inspectors"] == sorted([k for k in task["inspectors"] if k != out] + [new])
    names = [e.name for e in store.read_all()]
    assert names.count("DrawCompleted") == 1 and names[-3:] == [
        "RecusalDecided", "InspectorReplaced", "InspectionTaskReassigned"]
    ok = call("GET", f"/api/v1/plans/{pid}/verification").json
    assert ok["matches"] is True and ok["replacements"][0]["recomputed"] == new
    record = {**{k: draw[k] for k in ("seed", "commitment", "snapshot_hash", "result_hash",
                                      "conflict_openings", "secret", "attempt",
                                      "beacon_checkpoint")}, "plan_id": pid,
              "snapshot": json.loads(call("GET", f"/api/v1/plans/{pid}/snapshot").data),
              "replacements": plan["replacements"]}
    good = tmp_path / "good.json"
    good.write_text(json.dumps(record), encoding="utf-8")
    assert verify_main(["--file", str(good)]) == 0
    other = next(k for k in (f"fire_rescue/I{n:04d}" for n in range(4))
                 if k not in (out, new, *task["inspectors"]))
    forged = {**record, "replacements": [{**plan["replacements"][0], "replacement": other}]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(forged), encoding="utf-8")
    assert verify_main(["--file", str(bad)]) == 1


def test_bad_recusal_input_gets_a_problem_per_field(call, directory):
    pid, draw = _drawn(call, directory)
    task = draw["tasks"][0]
    r = call("POST", f"/api/v1/plans/{pid}/recusals", "civil_affairs",
             json={"inspector": "no-slash", "requested_by": "neighbour", "reason": " "})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert {"task_id", "inspector", "requested_by", "reason"} <= set(r.json["errors"])
    r = call("POST", f"/api/v1/plans/{pid}/recusals", "civil_affairs", json={
        "task_id": f"{pid}-91500103MA0009999X", "inspector": _fire_member(task),
        "requested_by": "institution", "reason": "理由"})
    assert r.status_code == 422 and "task_id" in r.json["errors"]
    r = _request(call, pid, task, "fire_rescue/I9999")
    assert r.status_code == 422 and "inspector" in r.json["errors"]
    # an inspector's own declaration is recorded by the inspector's department
    assert _request(call, pid, task, _fire_member(task), by="inspector").status_code == 403
    rid = _request(call, pid, task, _fire_member(task)).json["recusal_id"]
    assert _request(call, pid, task, _fire_member(task)).status_code == 200  # same, pending
    url = f"/api/v1/plans/{pid}/recusals/{rid}/decision"
    r = call("POST", url, "fire_rescue", json={"approved": False})
    assert r.status_code == 422 and "reason" in r.json["errors"]  # a refusal gives reasons
    r = call("POST", url, "fire_rescue", json={"approved": "perhaps"})
    assert r.status_code == 422 and "approved" in r.json["errors"]
    assert call("POST", f"/api/v1/plans/{pid}/recusals/R99/decision", "fire_rescue",
                json={"approved": True}).status_code == 404
    r = call("POST", url, "fire_rescue", json={"approved": False, "reason": "理由不成立"})
    assert r.status_code == 200 and r.json["status"] == "refused"
    assert call("GET", f"/api/v1/plans/{pid}").json["replacements"] == []


def test_without_a_qualified_replacement_the_approval_is_422_and_stores_nothing(
        call, directory, store):
    # two fire inspectors: the one not on the team is the last who qualifies
    pid, draw = _drawn(call, directory, fire=2, conflicts=[])
    task = draw["tasks"][0]
    out = _fire_member(task)
    other = next(k for k in ("fire_rescue/I0000", "fire_rescue/I0001") if k != out)
    rid = _request(call, pid, task, out).json["recusal_id"]
    ok = call("POST", f"/api/v1/plans/{pid}/recusals/{rid}/decision", "fire_rescue",
              json={"approved": True})
    assert ok.status_code == 200 and ok.json["replacement"]["replacement"] == other
    rid = _request(call, pid, task, other).json["recusal_id"]  # one past the last: nobody left
    before = list(store.read_all())
    r = call("POST", f"/api/v1/plans/{pid}/recusals/{rid}/decision", "fire_rescue",
             json={"approved": True})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert "消防救援" in r.json["detail"] and r.json["department"] == "fire_rescue"
    assert list(store.read_all()) == before


def test_a_recusal_needs_a_drawn_plan_and_an_unrecorded_task(call, directory):
    pid = _plan(call, directory)
    r = call("POST", f"/api/v1/plans/{pid}/recusals", "civil_affairs", json={
        "task_id": f"{pid}-x", "inspector": "fire_rescue/I0001", "requested_by": "institution",
        "reason": "理由"})
    assert r.status_code == 409
    task = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs").json["draw"]["tasks"][0]
    url = f"/api/v1/tasks/{task['task_id']}"
    call("POST", f"{url}/inspection", "civil_affairs",
         sub=drawn(call, f"{url}", "civil_affairs"), json={"inspected_on": "2026-11-23"})
    assert call("POST", f"{url}/result", "civil_affairs",
         sub=drawn(call, f"{url}", "civil_affairs"), json={
        "item_outcomes": [{"item": "civil_affairs/X1", "outcome": "compliant"},
                          {"item": "fire_rescue/X1", "outcome": "compliant"}],
        "follow_up": "none"}).status_code == 200
    assert _request(call, pid, task, _fire_member(task)).status_code == 409


def test_before_the_draw_the_public_sees_the_commitment_and_hash_but_no_snapshot(
        call, directory):
    pid = _plan(call, directory)
    plan = call("GET", f"/api/v1/plans/{pid}").json
    assert plan["published"]["snapshot_hash"] and plan["published"]["commitment"]
    r = call("GET", f"/api/v1/plans/{pid}/snapshot")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    usccs = [make_uscc(n) for n in range(1, 7)]
    for url, body in _public_bodies(call, pid).items():
        assert ELSEWHERE not in body, url
        assert "conflict" not in body, url
        for u in usccs:
            assert u not in body, (url, u)  # not even the objects before the draw


def test_after_the_draw_the_snapshot_is_public_with_conflicts_sealed(call, directory):
    pid, draw = _drawn(call, directory)
    raw = call("GET", f"/api/v1/plans/{pid}/snapshot").data
    assert hashlib.sha256(raw).hexdigest() == draw["snapshot_hash"]
    snap = json.loads(raw)
    assert all(set(i) == {"key", "department", "active"} for i in snap["inspectors"])
    assert all(len(o["conflict_tag"]) == 64 for o in snap["objects"])
    drawn = {t["uscc"] for t in draw["tasks"]}
    assert {op["uscc"] for op in draw["conflict_openings"]} == drawn  # only the drawn opened
    assert len(snap["objects"]) > len(drawn)
    for url, body in _public_bodies(call, pid).items():
        assert ELSEWHERE not in body, url  # never public, not even hashed
    assert call("GET", f"/api/v1/plans/{pid}/verification").json["matches"] is True


def test_the_cli_recomputes_the_draw_and_every_replacement_from_the_public_api(
        call, directory, monkeypatch):
    import requests

    pid, draw = _drawn(call, directory)
    for task in draw["tasks"][:2]:  # two replacements, in sequence
        rid = _request(call, pid, task, _fire_member(task)).json["recusal_id"]
        assert call("POST", f"/api/v1/plans/{pid}/recusals/{rid}/decision", "fire_rescue",
                    json={"approved": True}).status_code == 200

    class Reply:
        def __init__(self, r) -> None:
            self.r, self.content = r, r.data

        def json(self):
            return self.r.json

        def raise_for_status(self) -> None:
            assert self.r.status_code == 200, self.r.get_data(as_text=True)

    base = "http://inspection.test"
    monkeypatch.setattr(requests, "get",
                        lambda url, timeout: Reply(call("GET", url.removeprefix(base))))
    assert verify_main(["--plan", pid, "--url", base]) == 0
    assert [r["sequence"] for r in call("GET", f"/api/v1/plans/{pid}").json[
        "replacements"]] == [1, 2]
