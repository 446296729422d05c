"""Inspection events through real Kafka into the public pages; rebuild gives the same views."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from projection.bootstrap import create_app
from projection.features.inspection.projector import PROJECTOR
from projection.features.inspection.views import VIEWS_FOR_TESTS

from shared import kafka, mongo
from shared.config import Settings
from shared.envelope import Envelope, ce_type, new_event_id
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from tests.integration.projection.helpers import wait_until
from tests.support import Projected
from tests.unit.inspection.builders import make_uscc

USCC = make_uscc(7)
PLAN = "2026-joint-1"
HASH = "ab" * 32


def _env(subject: str, version: int, name: str, data: dict) -> Envelope:
    return Envelope(id=new_event_id(), source="/eldercare/inspection",
                    type=ce_type("inspection", name), subject=subject,
                    time=datetime(2026, 11, 23, 4, tzinfo=UTC), data=data,
                    stream_version=version, command_id="c", actor_dept="civil_affairs",
                    actor="t")


def _events() -> list[Envelope]:
    task = f"{PLAN}-{USCC}"
    team = ["civil_affairs/I0001", "fire_rescue/I0002"]
    outcomes = [{"item": "civil_affairs/X1", "outcome": "problem_found"}]
    return [
        _env("roster-civil_affairs", 1, "InspectorRegistered", {
            "department": "civil_affairs", "inspector_id": "I0001", "region": "500103",
            "certificate_no": "ZFCA000123", "active": True, "conflicts": []}),
        _env(f"plan-{PLAN}", 1, "SamplingPlanCreated", {
            "plan_id": PLAN, "series": "joint", "year": 2026, "batch": 1, "title": "联合抽查",
            "departments": ["civil_affairs", "fire_rescue"], "districts": [],
            "operator_types": [], "items": ["civil_affairs/X1"],
            "ratios_bp": {"A": 500, "B": 1000, "C": 3000, "D": 7000}, "team_size": 2,
            "exclude_previous_batches": True, "created_on": "2026-11-20"}),
        _env(f"plan-{PLAN}", 2, "SamplingPlanPublished", {
            "plan_id": PLAN, "commitment": "cd" * 32, "snapshot_hash": HASH,
            "algorithm": "eldercare-draw-v1", "published_on": "2026-11-21", "objects": 1,
            "excluded_objects": 0, "inspectors": 2, "active_inspectors": 2}),
        _env(f"plan-{PLAN}", 3, "DrawCompleted", {
            "plan_id": PLAN, "seed": "s3cr3t", "commitment": "cd" * 32, "snapshot_hash": HASH,
            "result_hash": "ef" * 32, "algorithm": "eldercare-draw-v1", "drawn_on": "2026-11-23",
            "strata": [{"level": "B", "eligible": 1, "ratio_bp": 1000, "drawn": 1}],
            "tasks": [{"task_id": task, "uscc": USCC, "credit_level": "B", "inspectors": team}]}),
        _env(f"task-{task}", 1, "InspectionTaskAssigned", {
            "task_id": task, "plan_id": PLAN, "uscc": USCC, "credit_level": "B",
            "departments": ["civil_affairs", "fire_rescue"], "inspectors": team,
            "items": ["civil_affairs/X1"], "assigned_on": "2026-11-23"}),
        _env(f"task-{task}", 2, "InspectionResultPublished", {
            "task_id": task, "plan_id": PLAN, "uscc": USCC,
            "departments": ["civil_affairs", "fire_rescue"], "inspected_on": "2026-11-23",
            "item_outcomes": outcomes, "findings": "消防通道堵塞",
            "follow_up": "rectification_ordered", "problem_found": True,
            "recorded_on": "2026-11-23", "publish_deadline": "2026-12-21",
            "published_on": "2026-11-23", "on_time": True}),
    ]


@pytest.fixture()
def setup(infra, unique):
    settings = Settings(service="projection", mongodb_uri=infra.mongo_uri,
                        kafka_bootstrap=infra.kafka, db_prefix=f"t_{unique}_")
    db = mongo.database(settings)
    Projected(db, PROJECTOR).prepare()
    yield settings, db
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


def _consume(settings, db, topic: str, envs: list[Envelope], until) -> None:
    kafka.ensure_topics(settings.kafka_bootstrap, [topic], 1)
    producer = kafka.producer(settings.kafka_bootstrap)
    for env in [*envs, envs[2]]:  # plus one redelivery
        producer.produce(topic, key=env.subject.encode(), value=env.value(),
                         headers=env.headers())
    producer.flush(10)
    group = f"g-{topic}"
    consumer = ProjectionConsumer(kafka.consumer(settings.kafka_bootstrap, group, fast=True),
                                  PROJECTOR, MongoReadStore(db),
                                  kafka.producer(settings.kafka_bootstrap), topics=[topic],
                                  group=group)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_until(until, timeout=30)
    finally:
        stop.set()
        thread.join(10)


def _results(db):
    return Projected(db, PROJECTOR)["insp_pub_results"]


def _plans(db):
    return Projected(db, PROJECTOR)["insp_pub_plans"]


def _snapshot_of(db) -> dict:
    projected = Projected(db, PROJECTOR)
    return {c: sorted(projected[c].find({}), key=lambda d: str(d["_id"]))
            for c in VIEWS_FOR_TESTS}


def test_published_plan_draw_and_result_pages_show_masked_inspectors(setup, unique):
    settings, db = setup
    _consume(settings, db, f"t_insp_{unique}", _events(),
             lambda: _results(db).find_one({"status": "published"}))
    client = create_app(settings, db=db).test_client()
    plan = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert "cd" * 32 in plan and "s3cr3t" in plan and "/verification" in plan
    assert "民政 · ZF******23" in plan and "ZFCA000123" not in plan
    page = client.get(f"/inspection/institutions/{USCC}").get_data(as_text=True)
    assert "发现问题" in page and "责令整改" in page
    assert PLAN in client.get("/inspection/").get_data(as_text=True)
    live = _snapshot_of(db)
    Projected(db, PROJECTOR).rebuild()
    assert _snapshot_of(db) == live


def test_an_institution_without_results_says_so(setup):
    settings, db = setup
    html = create_app(settings, db=db).test_client().get(
        f"/inspection/institutions/{USCC}").get_data(as_text=True)
    assert 'id="no-results"' in html


ELSEWHERE = "91500104MA0000100X"  # an inspector's declared conflict: never on a page


def _recusal_events() -> list[Envelope]:
    """A plan published, drawn (with the drawn institution's conflicts opened) and one fire
    inspector replaced after an approved recusal."""
    events = _events()[:5]
    events[0].data["conflicts"] = [ELSEWHERE, USCC]
    task = f"{PLAN}-{USCC}"
    salt = "5a" * 16
    events[3].data["conflict_openings"] = [
        {"uscc": USCC, "salt": salt, "inspectors": ["civil_affairs/I0001"]}]
    team = ["civil_affairs/I0001", "fire_rescue/I0003"]
    return [*events,
            _env("roster-fire_rescue", 1, "InspectorRegistered", {
                "department": "fire_rescue", "inspector_id": "I0003", "region": "500103",
                "certificate_no": "ZFFR000777", "active": True, "conflicts": []}),
            _env(f"plan-{PLAN}", 4, "RecusalRequested", {
                "plan_id": PLAN, "recusal_id": "R1", "task_id": task, "uscc": USCC,
                "inspector": "fire_rescue/I0002", "requested_by": "institution",
                "reason": "检查人员系本院院长的亲属", "recorded_by": "civil_affairs",
                "requested_on": "2026-11-24"}),
            _env(f"plan-{PLAN}", 5, "RecusalDecided", {
                "plan_id": PLAN, "recusal_id": "R1", "task_id": task, "uscc": USCC,
                "inspector": "fire_rescue/I0002", "approved": True, "reason": "",
                "department": "fire_rescue", "decided_on": "2026-11-24"}),
            _env(f"plan-{PLAN}", 6, "InspectorReplaced", {
                "plan_id": PLAN, "sequence": 1, "recusal_id": "R1", "task_id": task,
                "uscc": USCC, "recused": "fire_rescue/I0002", "replacement": "fire_rescue/I0003",
                "inspectors": team, "requested_by": "institution", "replaced_on": "2026-11-24"}),
            _env(f"task-{task}", 2, "InspectionTaskReassigned", {
                "task_id": task, "plan_id": PLAN, "uscc": USCC, "sequence": 1,
                "recused": "fire_rescue/I0002", "replacement": "fire_rescue/I0003",
                "inspectors": team, "reassigned_on": "2026-11-24"}),
            _env(f"task-{task}", 3, "InspectionResultPublished", _events()[5].data)]


def test_plan_pages_never_show_conflicts_and_show_the_snapshot_only_after_the_draw(
        setup, unique):
    settings, db = setup
    events = _recusal_events()
    projected = Projected(db, PROJECTOR)
    for env in events[:3]:  # registered, created, published: not drawn yet
        projected.feed([env])
    client = create_app(settings, db=db).test_client()
    before = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert HASH in before and "cd" * 32 in before
    assert 'id="snapshot-sealed"' in before and "/snapshot" not in before
    assert ELSEWHERE not in before and USCC not in before
    _consume(settings, db, f"t_insp_r_{unique}", events,
             lambda: (_results(db).find_one({"uscc": USCC}) or {}).get(
                 "status") == "published"
             and "teams" in (_plans(db).find_one({"_id": PLAN}) or {}))
    after = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert 'id="snapshot-link"' in after and f"/api/v1/plans/{PLAN}/snapshot" in after
    assert 'id="replacements"' in after and "当事机构申请" in after
    assert "消防救援 · ZF******77" in after  # the replacement, masked
    assert "亲属" not in after  # the recusal reason is not public
    pages = [after, client.get("/inspection/").get_data(as_text=True),
             client.get(f"/inspection/institutions/{USCC}").get_data(as_text=True)]
    for page in pages:
        assert ELSEWHERE not in page and "5a" * 16 not in page
    assert "ZF******77" in pages[2]  # the institution's result shows the current team
    assert "conflict" not in str(list(_plans(db).find({})))
    live = _snapshot_of(db)
    Projected(db, PROJECTOR).rebuild()
    assert _snapshot_of(db) == live


def test_results_overdue_for_publication_show_on_the_plan_page_also_once_published_late(
        setup, unique):
    settings, db = setup
    envs = _events()[:-1]  # drawn and assigned, no result published
    task = f"{PLAN}-{USCC}"
    envs.append(_env(f"task-{task}", 2, "PublicationOverdue", {
        "task_id": task, "plan_id": PLAN, "uscc": USCC, "recorded_on": None,
        "inspected_on": "2026-11-23", "publish_deadline": "2026-12-21",
        "detected_on": "2026-12-22", "overdue_workdays": 1, "publication_workdays": 20}))
    _consume(settings, db, f"t_insp_{unique}", envs,
             lambda: _results(db).find_one({"publication_overdue": {"$exists": True}}))
    client = create_app(settings, db=db).test_client()
    plan = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert 'id="overdue-results"' in plan and "2026-12-21" in plan and USCC in plan
    assert "检查之日起 20 个工作日" in plan and "仍未公示" in plan
    live = _snapshot_of(db)
    Projected(db, PROJECTOR).rebuild()
    assert _snapshot_of(db) == live
    # published late: the lateness stays on record (一公开), the state says so
    _results(db).update_one({"_id": task}, {"$set": {"status": "published",
                                                               "published_on": "2026-12-28"}})
    plan = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert 'id="overdue-results"' in plan and "已于 2026-12-28 逾期公示" in plan


def test_tasks_left_undone_at_the_plan_end_and_cancelled_tasks_show_without_the_reason(
        setup, unique):
    settings, db = setup
    envs = _events()[:-1]
    envs[1] = _env(f"plan-{PLAN}", 1, "SamplingPlanCreated",
                   {**envs[1].data, "ends_on": "2026-11-30"})
    task = f"{PLAN}-{USCC}"
    envs.append(_env(f"task-{task}", 2, "InspectionTaskOverdue", {
        "task_id": task, "plan_id": PLAN, "uscc": USCC, "plan_ends_on": "2026-11-30",
        "inspected_on": None, "recorded_on": None, "detected_on": "2026-12-02",
        "overdue_workdays": 2}))
    envs.append(_env(f"task-{task}", 3, "InspectionTaskCancelled", {
        "task_id": task, "plan_id": PLAN, "uscc": USCC, "reason": "机构已停业注销",
        "department": "civil_affairs", "inspected_on": None, "cancelled_on": "2026-12-03"}))
    _consume(settings, db, f"t_insp_{unique}", envs,
             lambda: _results(db).find_one({"status": "cancelled"}))
    client = create_app(settings, db=db).test_client()
    plan = client.get(f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert 'id="plan-ends-on">2026-11-30<' in plan
    assert 'id="unfinished-tasks"' in plan and "任务已于 2026-12-03 撤销" in plan
    assert "（任务已撤销）" in plan
    assert "停业注销" not in plan and "停业注销" not in str(list(_results(db).find()))
    live = _snapshot_of(db)
    Projected(db, PROJECTOR).rebuild()
    assert _snapshot_of(db) == live


def test_a_plan_stored_without_an_end_date_shows_its_year_end(setup, unique):
    settings, db = setup
    envs = _events()
    _consume(settings, db, f"t_insp_{unique}", envs,
             lambda: _results(db).find_one({"status": "published"}))
    plan = create_app(settings, db=db).test_client().get(
        f"/inspection/plans/{PLAN}").get_data(as_text=True)
    assert 'id="plan-ends-on">2026-12-31<' in plan and 'id="unfinished-tasks"' not in plan


def test_every_draw_attempt_shows_with_its_reason_and_the_standing_draw_is_the_last(
        setup, unique):
    settings, db = setup
    envs = _events()[:4]  # roster, created, published, the first draw
    drawn = envs[3].data
    note = "beacon.test/log\n5\nAAAA\n\n— beacon.test/log sig\n"
    envs += [
        _env(f"plan-{PLAN}", 4, "DrawVoided", {
            "plan_id": PLAN, "attempt": 1, "reason": "名录快照遗漏新备案机构",
            "department": "civil_affairs", "voided_on": "2026-11-24"}),
        _env(f"plan-{PLAN}", 5, "DrawAttemptFailed", {
            "plan_id": PLAN, "attempt": 2, "reason": "消防救援检查人员不足",
            "beacon_index": 7, "beacon_checkpoint": note, "failed_on": "2026-11-25",
            "department": "fire_rescue"}),
        _env(f"plan-{PLAN}", 6, "DrawCompleted", {
            **drawn, "seed": "third-seed", "attempt": 3, "secret": "ab" * 32,
            "beacon_index": 9, "beacon_checkpoint": note, "drawn_on": "2026-11-26",
            "tasks": [{**drawn["tasks"][0], "task_id": f"{PLAN}-{USCC}-r3"}]}),
    ]
    _consume(settings, db, f"t_insp_{unique}", envs,
             lambda: (_plans(db).find_one({"_id": PLAN}) or {}).get("draw", {}) and
             _plans(db).find_one({"_id": PLAN})["draw"].get("attempt") == 3)
    page = create_app(settings, db=db).test_client().get(
        f"/inspection/plans/{PLAN}").get_data(as_text=True)
    rows = page.split('id="attempt-list"')[1].split("</table>")[0]
    assert rows.count('class="attempt ') == 4
    order = [rows.index(s) for s in ("s3cr3t", "名录快照遗漏新备案机构", "消防救援检查人员不足",
                                     "third-seed")]
    assert order == sorted(order)
    assert 'id="seed">third-seed<' in page and 'id="beacon-checkpoint"' in page
    live = _snapshot_of(db)
    Projected(db, PROJECTOR).rebuild()
    assert _snapshot_of(db) == live
