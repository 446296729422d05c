"""Use cases of sampling plans: create, publish (commitment + snapshot hash), draw, and
recusals after the draw (request, decision, replacement handed to the task)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspection.app.common import (
    PLAN,
    TASK,
    Handled,
    current,
    plan_meta,
    plan_stream,
    run,
    task_stream,
)
from inspection.app.directories import all_items, roster_entries
from inspection.app.ports import Beacon, ObjectDirectory, Vault
from inspection.domain import plan as plans
from inspection.domain import task as tasks
from inspection.domain.canonical import commitment
from inspection.domain.errors import Conflict, DrawInfeasible, InvalidCommand, NotFound
from inspection.domain.events import (
    DrawAttemptFailed,
    DrawCompleted,
    DrawnTask,
    DrawVoided,
    InspectionTaskAssigned,
)
from inspection.domain.model import plan_id_of
from inspection.domain.plan import Plan
from inspection.domain.snapshot import build_snapshot, counts
from shared.authority import BUSINESS_DUTIES, LEADER, WRITE_DUTIES
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore


@dataclass(frozen=True)
class PlanDeps:
    store: EventStore
    clock: Clock
    directory: ObjectDirectory
    vault: Vault
    beacon: Beacon


def create_plan(spec: dict[str, Any], *, store: EventStore, clock: Clock,
                meta: CommitMeta) -> Handled[Plan]:
    """Create the plan <year>-<series>-<batch>; its items must be on the published list.
    The caller's department must be one of the plan's, its regions all the plan's districts."""
    meta = plan_meta(meta, spec["departments"], spec.get("districts") or (), WRITE_DUTIES)
    known = {item.ref for item, _ in all_items(store)}
    unknown = [r for r in spec["items"] if r not in known]
    wrong_dept = [r for r in spec["items"] if r.split("/", 1)[0] not in spec["departments"]]
    if unknown or wrong_dept:
        raise InvalidCommand({"items": [f"未公布的抽查事项：{r}" for r in unknown]
                              + [f"事项不属于计划的部门：{r}" for r in wrong_dept]})
    pid = plan_id_of(spec["year"], spec["series"], spec["batch"])
    return run(store, PLAN, plan_stream(pid),
               lambda s: plans.decide_create(s, pid, spec, china_today(clock)), meta)


def _authorized(plan: Plan, meta: CommitMeta, duties: tuple[str, ...]) -> CommitMeta:
    c = plan.created
    if c is None:
        return meta
    return plan_meta(meta, c.departments, c.districts, duties)


def get_plan(plan_id: str, store: EventStore) -> tuple[Plan, int]:
    state, version = current(store, PLAN, plan_stream(plan_id))
    if version == 0:
        raise NotFound(f"没有编号为 {plan_id} 的抽查计划")
    return state, version


def all_plans(store: EventStore) -> list[Plan]:
    """Every plan, newest year and batch first."""
    found = [current(store, PLAN, s)[0] for s in store.streams_with("SamplingPlanCreated")]
    created = [p.created for p in found if p.created is not None]
    order = {c.plan_id: (-c.year, c.series, -c.batch) for c in created}
    return sorted(found, key=lambda p: order[p.plan_id])


def _history(plan: Plan, store: EventStore) -> tuple[set[str], dict[str, list[str]]]:
    """Institutions drawn by earlier batches of this series and year; everyone's last team."""
    spec = plan.spec or {}
    previous: set[str] = set()
    drawn = [(p, p.drawn) for p in all_plans(store)
             if p.drawn is not None and p.plan_id != plan.plan_id]
    drawn.sort(key=lambda pair: pair[1].drawn_on)
    last: dict[str, list[str]] = {}
    for p, draw in drawn:
        ps = p.spec or {}
        same_series = (ps["series"], ps["year"]) == (spec["series"], spec["year"])
        teams = p.teams  # after replacements: who actually went
        for t in draw.tasks:
            last[t.uscc] = teams[t.uscc]
            if same_series and ps["batch"] < spec["batch"]:
                previous.add(t.uscc)
    return previous, last


def publish_plan(plan_id: str, *, deps: PlanDeps, meta: CommitMeta) -> Handled[Plan]:
    """Freeze the snapshot (declared conflicts sealed), commit to a fresh secret, publish the
    commitment, the snapshot hash and the public value the draw will mix in. The snapshot
    stays unpublished until the draw; the secret is found again by its commitment only, so
    nothing placed in the store beforehand can become the plan's secret."""
    plan, _ = get_plan(plan_id, deps.store)
    meta = _authorized(plan, meta, WRITE_DUTIES)
    if plan.status != "draft":
        return run(deps.store, PLAN, plan_stream(plan_id), lambda s: [], meta)
    spec = {"plan_id": plan_id, **(plan.spec or {})}
    previous, last = _history(plan, deps.store)
    snapshot, openings = build_snapshot(
        spec, deps.directory.entries(), roster_entries(spec["departments"], deps.store),
        previous, last, deps.vault.salts_for(plan_id))
    deps.vault.save_openings(deps.vault.save_snapshot(snapshot), openings)
    seed_commitment = commitment(deps.vault.new_secret(plan_id))
    return run(deps.store, PLAN, plan_stream(plan_id), lambda s: plans.decide_publish(
        s, plan_id, seed_commitment, snapshot, counts(snapshot), china_today(deps.clock)), meta)


def _secret(plan: Plan, deps: PlanDeps) -> str | None:
    assert plan.published is not None
    if plan.published.beacon is None:  # published before beacons: the seed kept per plan
        return deps.vault.seed(plan.plan_id)
    return deps.vault.secret(plan.published.commitment)


def draw_plan(plan_id: str, *, deps: PlanDeps, meta: CommitMeta) -> Handled[Plan]:
    """Reveal the secret and draw with this attempt's public value, then hand every drawn
    institution its task. An attempt that cannot be met is stored (public, with its reason)
    and answered with DrawInfeasible; the next attempt waits for a new public value."""
    plan, _ = get_plan(plan_id, deps.store)
    meta = _authorized(plan, meta, WRITE_DUTIES)
    if plan.status == "draft" or plan.published is None:
        raise Conflict(f"计划 {plan_id} 尚未公布，不能抽取")
    ensure_tasks(plan, store=deps.store, meta=meta)  # a crashed voiding's cancellations
    secret = _secret(plan, deps)
    snapshot = deps.vault.snapshot(plan.published.snapshot_hash)
    if secret is None or snapshot is None:
        raise Conflict(f"计划 {plan_id} 的种子或名录快照缺失，无法抽取")
    openings = deps.vault.openings(plan.published.snapshot_hash)
    beacon = None
    if plan.status == "published" and plan.published.beacon is not None:
        beacon = deps.beacon.value(plans.next_beacon_key(plan))
    handled = run(deps.store, PLAN, plan_stream(plan_id), lambda s: plans.decide_draw(
        s, plan_id, secret, snapshot, openings, china_today(deps.clock), beacon), meta)
    failed = [e for e in handled.events if isinstance(e, DrawAttemptFailed)]
    if failed:
        raise DrawInfeasible(f"第 {failed[0].attempt} 次抽取未能完成：{failed[0].reason}。"
                             "本次尝试已公开记录；下一次抽取将使用新的公开随机数。",
                             department=failed[0].department or "")
    ensure_tasks(handled.state, store=deps.store, meta=meta)
    return handled


def void_draw(plan_id: str, reason: str, department: str, *, deps: PlanDeps,
              meta: CommitMeta) -> Handled[Plan]:
    """A leader voids the standing draw before any inspection, with a public reason; its
    tasks are cancelled, and the plan waits for a redraw with a new public value."""
    plan, _ = get_plan(plan_id, deps.store)
    meta = _authorized(plan, meta, (LEADER,))
    ensure_tasks(plan, store=deps.store, meta=meta)
    statuses = {t.task_id: str(current(deps.store, TASK, task_stream(t.task_id))[0].status)
                for t in (plan.drawn.tasks if plan.drawn else ())}
    handled = run(deps.store, PLAN, plan_stream(plan_id), lambda s: plans.decide_void(
        s, plan_id, reason, department, statuses, china_today(deps.clock)), meta)
    ensure_tasks(handled.state, store=deps.store, meta=meta)
    return handled


def _voided_tasks(plan: Plan) -> list[tuple[DrawVoided, DrawnTask]]:
    """Every task of a voided draw, with the voiding."""
    voids = {e.attempt: e for e in plan.attempts if isinstance(e, DrawVoided)}
    return [(voids[d.attempt or 1], t) for d in plan.attempts
            if isinstance(d, DrawCompleted) and (d.attempt or 1) in voids for t in d.tasks]


def ensure_tasks(plan: Plan, *, store: EventStore, meta: CommitMeta) -> int:
    """Assign every drawn task not yet assigned, then hand each task the plan's replacements
    it has not taken over yet (safe to repeat after a crash)."""
    if plan.created is None:
        return 0
    made = 0
    for void, t in _voided_tasks(plan):
        try:
            made += len(run(store, TASK, task_stream(t.task_id),
                            lambda s, v=void, t=t: tasks.decide_cancel(
                                s, t.task_id, f"抽取结果已作废：{v.reason}", v.department,
                                v.voided_on), meta).events)
        except (ConcurrencyConflict, NotFound):
            continue  # a concurrent repair, or a task never handed out
    if plan.drawn is None:
        return made
    for t in plan.drawn.tasks:
        assignment = InspectionTaskAssigned(
            task_id=t.task_id, plan_id=plan.plan_id, uscc=t.uscc, credit_level=t.credit_level,
            departments=plan.created.departments, inspectors=t.inspectors,
            items=plan.created.items, assigned_on=plan.drawn.drawn_on)
        try:
            made += len(run(store, TASK, task_stream(t.task_id),
                            lambda s, a=assignment: tasks.decide_assign(s, a), meta).events)
        except ConcurrencyConflict:
            continue  # a concurrent hand-off assigned it
    for r in plan.replacements:
        try:
            made += len(run(store, TASK, task_stream(r.task_id),
                            lambda s, r=r: tasks.decide_reassign(s, r), meta).events)
        except ConcurrencyConflict:
            continue  # a concurrent hand-off (or a visit) changed the task; the next one repairs
    return made


def _task_status(plan: Plan, task_id: str, store: EventStore, meta: CommitMeta) -> str:
    ensure_tasks(plan, store=store, meta=meta)  # repair a crashed hand-off first
    return str(current(store, TASK, task_stream(task_id))[0].status)


def request_recusal(plan_id: str, request: dict[str, Any], department: str, *,
                    deps: PlanDeps, meta: CommitMeta) -> Handled[Plan]:
    """Record an institution's recusal application or an inspector's declared conflict."""
    plan, _ = get_plan(plan_id, deps.store)
    meta = _authorized(plan, meta, BUSINESS_DUTIES)
    status = _task_status(plan, request["task_id"], deps.store, meta)
    return run(deps.store, PLAN, plan_stream(plan_id), lambda s: plans.decide_request_recusal(
        s, plan_id, request, status, department, china_today(deps.clock)), meta)


def decide_recusal(plan_id: str, recusal_id: str, approved: bool, reason: str,
                   department: str, *, deps: PlanDeps, meta: CommitMeta) -> Handled[Plan]:
    """Approve (and draw the replacement) or refuse; the task takes over the new team. A
    recusal decision is the leader's (the rules reserve it)."""
    plan, _ = get_plan(plan_id, deps.store)
    meta = _authorized(plan, meta, (LEADER,))
    rec = plans.recusal_of(plan, plan_id, recusal_id)
    status = _task_status(plan, rec.request.task_id, deps.store, meta)
    snapshot = deps.vault.snapshot(plan.drawn.snapshot_hash) if plan.drawn else None
    handled = run(deps.store, PLAN, plan_stream(plan_id), lambda s: plans.decide_recusal(
        s, plan_id, recusal_id, approved, reason, department, snapshot, status,
        china_today(deps.clock)), meta)
    ensure_tasks(handled.state, store=deps.store, meta=meta)
    return handled
