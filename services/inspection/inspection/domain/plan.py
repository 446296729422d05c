"""The SamplingPlan aggregate (stream plan-<plan id>): created → published → drawn, then
recusals after the draw (行政处罚法 art. 43): requested → decided → the inspector replaced.
The draw's own event is never changed: a replacement is a new event on top of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from inspection.domain.canonical import (
    BEACON_RULE,
    attempt_seed,
    beacon_key,
    commitment,
    conflict_tag,
    digest,
)
from inspection.domain.draw import draw, is_legacy, replacement
from inspection.domain.errors import Conflict, DrawInfeasible, InvalidCommand, NotFound
from inspection.domain.events import (
    ConflictOpening,
    DrawAttemptFailed,
    DrawCompleted,
    DrawnTask,
    DrawVoided,
    InspectorReplaced,
    PlanEvent,
    RecusalDecided,
    RecusalRequested,
    SamplingPlanCreated,
    SamplingPlanPublished,
    Stratum,
)
from inspection.domain.model import task_id_of
from shared.domain import Event

SPEC_FIELDS = ("series", "year", "batch", "title", "departments", "districts",
               "operator_types", "items", "ratios_bp", "team_size", "exclude_previous_batches",
               "ends_on", "risk_ratios_bp")


def default_ends_on(year: int) -> str:
    """A plan without its own end date (and every plan created before plans had one) ends
    with its year: annual plans set the timing of each batch (domain.md §1)."""
    return f"{year}-12-31"


@dataclass(frozen=True)
class Recusal:
    """A recusal request and, once taken, its decision."""

    request: RecusalRequested
    decision: RecusalDecided | None = None

    @property
    def status(self) -> str:
        if self.decision is None:
            return "pending"
        return "approved" if self.decision.approved else "refused"

    def to_data(self) -> dict[str, Any]:
        """The request, its status and the decision (approved, reason, department, day)."""
        d = self.decision
        decision = None if d is None else {"approved": d.approved, "reason": d.reason,
                                           "department": d.department,
                                           "decided_on": d.decided_on.isoformat()}
        return {**self.request.to_data(), "status": self.status, "decision": decision}


@dataclass(frozen=True)
class Plan:
    """Everything known about one plan."""

    plan_id: str = ""
    created: SamplingPlanCreated | None = None
    status: str = "draft"
    published: SamplingPlanPublished | None = None
    drawn: DrawCompleted | None = None
    recusals: dict[str, Recusal] = field(default_factory=dict)
    replacements: tuple[InspectorReplaced, ...] = ()
    attempts: tuple[DrawCompleted | DrawAttemptFailed | DrawVoided, ...] = ()

    @property
    def exists(self) -> bool:
        return bool(self.plan_id)

    @property
    def created_on(self) -> str:
        return self.created.created_on.isoformat() if self.created else ""

    @property
    def ends_on(self) -> date | None:
        """The plan's end date (its year's end for plans created before they had one)."""
        if self.created is None:
            return None
        return self.created.ends_on or date.fromisoformat(default_ends_on(self.created.year))

    @property
    def spec(self) -> dict[str, Any] | None:
        """What the plan was created with (SPEC_FIELDS; ends_on defaulted for older plans)."""
        if self.created is None:
            return None
        data = {"ends_on": default_ends_on(self.created.year), **self.created.to_data()}
        return {k: data.get(k) for k in SPEC_FIELDS}

    @property
    def attempt(self) -> int:
        """How many draw attempts have ended or stand (the next one is this plus one)."""
        done = [e.attempt or 1 for e in self.attempts if not isinstance(e, DrawVoided)]
        return max(done, default=0)

    @property
    def teams(self) -> dict[str, list[str]]:
        """Each drawn institution's current team: the draw's, then every replacement."""
        teams = {t.uscc: list(t.inspectors) for t in (self.drawn.tasks if self.drawn else ())}
        for r in self.replacements:
            teams[r.uscc] = list(r.inspectors)
        return teams

    def recused_from(self, uscc: str) -> set[str]:
        """Inspectors whose recusal from this institution was approved."""
        return {r.recused for r in self.replacements if r.uscc == uscc}


def initial() -> Plan:
    return Plan()


def evolve(state: Plan, event: Event) -> Plan:
    """Apply one stored event; other types leave the state as it is."""
    match event:
        case SamplingPlanCreated():
            return Plan(plan_id=event.plan_id, created=event)
        case SamplingPlanPublished():
            return replace(state, status="published", published=event)
        case DrawCompleted():
            return replace(state, status="drawn", drawn=event,
                           attempts=(*state.attempts, event))
        case DrawAttemptFailed():
            return replace(state, attempts=(*state.attempts, event))
        case DrawVoided():
            return replace(state, status="published", drawn=None, recusals={},
                           replacements=(), attempts=(*state.attempts, event))
        case RecusalRequested():
            return replace(state, recusals={**state.recusals, event.recusal_id: Recusal(event)})
        case RecusalDecided():
            decided = replace(state.recusals[event.recusal_id], decision=event)
            return replace(state, recusals={**state.recusals, event.recusal_id: decided})
        case InspectorReplaced():
            return replace(state, replacements=(*state.replacements, event))
    return state


def decide_create(state: Plan, plan_id: str, spec: dict[str, Any],
                  today: date) -> list[PlanEvent]:
    """Create once; the same plan again stores nothing, a different one is refused."""
    if state.exists:
        if state.spec == {"risk_ratios_bp": None, **spec}:  # optional: absent is None
            return []
        raise Conflict(f"计划 {plan_id} 已存在且内容不同")
    if spec["ends_on"] < today.isoformat():
        raise InvalidCommand({"ends_on": [f"计划结束日期不能早于今天 {today.isoformat()}"]})
    return [SamplingPlanCreated.from_data({"plan_id": plan_id, **spec,
                                           "created_on": today.isoformat()})]


def _existing(state: Plan, plan_id: str) -> Plan:
    if not state.exists:
        raise NotFound(f"没有编号为 {plan_id} 的抽查计划")
    return state


def decide_publish(state: Plan, plan_id: str, seed_commitment: str, snapshot: dict[str, Any],
                   sizes: dict[str, int], today: date) -> list[PlanEvent]:
    """Publish the commitment, the snapshot hash and the public value every attempt will
    mix in; publishing again changes nothing."""
    if _existing(state, plan_id).status != "draft":
        return []
    return [SamplingPlanPublished(
        plan_id=plan_id, commitment=seed_commitment, snapshot_hash=digest(snapshot),
        algorithm=snapshot["algorithm"], published_on=today, beacon=BEACON_RULE, **sizes)]


def next_beacon_key(state: Plan) -> str:
    """The logged record whose first checkpoint is the next attempt's public value."""
    return beacon_key(state.plan_id, state.attempt + 1)


def decide_draw(state: Plan, plan_id: str, secret: str, snapshot: dict[str, Any],
                openings: dict[str, dict[str, Any]], today: date,
                beacon: dict[str, Any] | None = None) -> list[PlanEvent]:
    """Reveal the secret and draw from the published snapshot with the seed of this attempt.

    Plans with a beacon: seed = attempt_seed(secret, plan, attempt, the first signed checkpoint
    of the log holding beacon_key(plan, attempt)); without it (``beacon`` None) nothing is
    drawn. An attempt that cannot be met is stored as DrawAttemptFailed with its reason.
    Plans published before beacons: the secret is the seed, an infeasible draw stores nothing.
    ``openings`` (the vault's, every object) give the declared conflicts; only the drawn
    objects' openings are published."""
    plan = _existing(state, plan_id)
    if plan.status != "published":
        if plan.status == "drawn":
            return []
        raise Conflict(f"计划 {plan_id} 尚未公布，不能抽取")
    assert plan.published is not None
    if commitment(secret) != plan.published.commitment:
        raise Conflict("种子与公布的承诺值不符，拒绝抽取")
    if digest(snapshot) != plan.published.snapshot_hash:
        raise Conflict("名录快照与公布的哈希不符，拒绝抽取")
    attempt = plan.attempt + 1
    seed, extra = secret, {}
    if plan.published.beacon is not None:
        if beacon is None or beacon.get("key") != beacon_key(plan_id, attempt):
            raise Conflict(f"第 {attempt} 次抽取的公开随机数尚未产生：透明日志还没有签发包含"
                           f"“{beacon_key(plan_id, attempt)}”的检查点，请稍后再抽取")
        seed = attempt_seed(secret, plan_id, attempt, beacon["checkpoint"])
        extra = {"secret": secret, "attempt": attempt, "beacon_index": int(beacon["index"]),
                 "beacon_checkpoint": beacon["checkpoint"]}
    legacy = is_legacy(snapshot)
    tags = {o["uscc"]: o.get("conflict_tag") for o in snapshot["objects"]}
    if not legacy and any(conflict_tag(openings.get(u) or {"uscc": u, "salt": "",
                                                           "inspectors": []}) != tag
                          for u, tag in tags.items()):
        raise Conflict("回避申报的开封值与名录快照不符，拒绝抽取")
    try:
        outcome = draw(seed, snapshot, {u: op["inspectors"] for u, op in openings.items()})
    except DrawInfeasible as exc:
        if not extra:
            raise
        return [DrawAttemptFailed(plan_id=plan_id, attempt=attempt, reason=exc.detail,
                                  beacon_index=int(extra["beacon_index"]),
                                  beacon_checkpoint=str(extra["beacon_checkpoint"]),
                                  failed_on=today, department=exc.department or None)]
    tasks = tuple(DrawnTask(task_id_of(plan_id, t["uscc"], attempt), t["uscc"],
                            t["credit_level"], tuple(t["inspectors"]))
                  for t in outcome["tasks"])
    opened = () if legacy else tuple(ConflictOpening.from_data(openings[t["uscc"]])
                                     for t in outcome["tasks"])
    return [DrawCompleted(
        plan_id=plan_id, seed=seed, commitment=plan.published.commitment,
        snapshot_hash=plan.published.snapshot_hash, result_hash=digest(outcome),
        algorithm=outcome["algorithm"],
        strata=tuple(Stratum.from_data(s) for s in outcome["strata"]), tasks=tasks,
        conflict_openings=opened, drawn_on=today, **extra)]


VOIDABLE_TASK_STATUSES = ("assigned", "cancelled")  # no inspection has been carried out


def decide_void(state: Plan, plan_id: str, reason: str, department: str,
                task_statuses: dict[str, str], today: date) -> list[PlanEvent]:
    """Void the standing draw (a leader, with a public reason) while none of its tasks has
    been inspected; the next draw is a new attempt with a new public value."""
    plan = _existing(state, plan_id)
    last = plan.attempts[-1] if plan.attempts else None
    if plan.drawn is None and isinstance(last, DrawVoided) and \
            (last.reason, last.department) == (reason.strip(), department):
        return []  # the same voiding again (a retry after a crash): nothing more to store
    if plan.drawn is None:
        raise Conflict(f"计划 {plan_id} 没有可作废的抽取结果")
    if plan.published is None or plan.published.beacon is None:
        raise Conflict(f"计划 {plan_id} 公布于抽取使用公开随机数之前，重抽将得到同一结果，"
                       "不能作废重抽")
    if len(reason.strip()) < 4:
        raise InvalidCommand({"reason": ["请写明作废的理由（至少 4 个字）"]})
    started = sorted(t for t, status in task_statuses.items()
                     if status not in VOIDABLE_TASK_STATUSES)
    if started:
        raise Conflict(f"任务 {', '.join(started)} 已开展检查，抽取结果不能再作废")
    return [DrawVoided(plan_id=plan_id, attempt=plan.drawn.attempt or 1, reason=reason.strip(),
                       department=department, voided_on=today)]


REQUESTERS = ("institution", "inspector")  # the party applies, or the officer declares
OPEN_TASK_STATUSES = ("assigned", "inspected")  # until the result is recorded


def _drawn(state: Plan, plan_id: str) -> DrawCompleted:
    plan = _existing(state, plan_id)
    if plan.drawn is None:
        raise Conflict(f"计划 {plan_id} 尚未抽取，抽取后才能申请回避")
    return plan.drawn


def _task_open(task_id: str, task_status: str) -> None:
    if task_status not in OPEN_TASK_STATUSES:
        raise Conflict(f"任务 {task_id} 的检查结果已录入，不能再更换检查人员")


def decide_request_recusal(state: Plan, plan_id: str, request: dict[str, Any],
                           task_status: str, department: str,
                           today: date) -> list[PlanEvent]:
    """Record a recusal request: the institution's application (recorded by a department on
    its behalf) or the inspector's own declaration of a conflict. A pending identical request
    again stores nothing; a different one for the same inspector and task is refused."""
    drawn = _drawn(state, plan_id)
    task = next((t for t in drawn.tasks if t.task_id == request["task_id"]), None)
    if task is None:
        raise InvalidCommand({"task_id": [f"不是计划 {plan_id} 抽中的检查任务"]})
    if request["inspector"] not in state.teams[task.uscc]:
        raise InvalidCommand({"inspector": [f"{request['inspector']} 不在该任务的检查组中"]})
    if request["requested_by"] not in REQUESTERS:
        raise InvalidCommand({"requested_by": [f"须为 {', '.join(REQUESTERS)}"]})
    for rec in state.recusals.values():
        r = rec.request
        if (rec.status == "pending" and r.task_id == request["task_id"]
                and r.inspector == request["inspector"]):
            if (r.requested_by, r.reason) == (request["requested_by"], request["reason"]):
                return []
            raise Conflict(f"该检查人员已有待决定的回避申请 {r.recusal_id}")
    _task_open(request["task_id"], task_status)
    return [RecusalRequested(
        plan_id=plan_id, recusal_id=f"R{len(state.recusals) + 1}",
        task_id=request["task_id"], uscc=task.uscc, inspector=request["inspector"],
        requested_by=request["requested_by"], reason=request["reason"],
        recorded_by=department, requested_on=today)]


def recusal_of(state: Plan, plan_id: str, recusal_id: str) -> Recusal:
    _existing(state, plan_id)
    found = state.recusals.get(recusal_id)
    if found is None:
        raise NotFound(f"计划 {plan_id} 没有编号为 {recusal_id} 的回避申请")
    return found


def decide_recusal(state: Plan, plan_id: str, recusal_id: str, approved: bool, reason: str,
                   department: str, snapshot: dict[str, Any] | None, task_status: str,
                   today: date) -> list[PlanEvent]:
    """The department decides (RecusalDecided); an approval also draws the replacement by the
    published rule (InspectorReplaced) from the revealed seed, the published snapshot and the
    opened conflicts. The same decision again stores nothing; a different one is refused.
    ReplacementInfeasible (nobody qualifies) stores nothing."""
    drawn = _drawn(state, plan_id)
    found = recusal_of(state, plan_id, recusal_id)
    rec = found.request
    if found.decision is not None:
        if found.decision.approved == approved:
            return []
        raise Conflict(f"回避申请 {recusal_id} 已决定（{found.status}），不能改变")
    if not approved and not reason.strip():
        raise InvalidCommand({"reason": ["不予回避须说明理由"]})
    decided = RecusalDecided(
        plan_id=plan_id, recusal_id=recusal_id, task_id=rec.task_id, uscc=rec.uscc,
        inspector=rec.inspector, approved=approved, reason=reason, department=department,
        decided_on=today)
    if not approved:
        return [decided]
    _task_open(rec.task_id, task_status)
    if snapshot is None or digest(snapshot) != drawn.snapshot_hash:
        raise Conflict("名录快照缺失或与公布的哈希不符，无法抽取替换人员")
    sequence = len(state.replacements) + 1
    conflicts = {op.uscc: list(op.inspectors) for op in drawn.conflict_openings or ()}
    teams = state.teams
    uscc, out = rec.uscc, rec.inspector
    new = replacement(drawn.seed, snapshot, conflicts, teams, uscc, out, sequence,
                      state.recused_from(uscc))
    return [decided, InspectorReplaced(
        plan_id=plan_id, sequence=sequence, recusal_id=recusal_id, task_id=rec.task_id,
        uscc=uscc, recused=out, replacement=new,
        inspectors=tuple(sorted([k for k in teams[uscc] if k != out] + [new])),
        requested_by=rec.requested_by, replaced_on=today)]
