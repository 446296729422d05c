"""The SamplingPlan aggregate (stream plan-<plan id>): created → published → drawn, then
recusals after the draw (行政处罚法 art. 43): requested → decided → the inspector replaced.
The draw's own event is never changed: a replacement is a new event on top of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from inspection.domain.canonical import commitment, conflict_tag, digest
from inspection.domain.draw import draw, is_legacy, replacement
from inspection.domain.errors import Conflict, InvalidCommand, NotFound
from inspection.domain.model import DomainEvent, task_id_of

SPEC_FIELDS = ("series", "year", "batch", "title", "departments", "districts",
               "operator_types", "items", "ratios_bp", "team_size", "exclude_previous_batches",
               "ends_on")


def default_ends_on(year: int) -> str:
    """A plan without its own end date (and every plan created before plans had one) ends
    with its year: annual plans set the timing of each batch (domain.md §1)."""
    return f"{year}-12-31"


@dataclass(frozen=True)
class Plan:
    """Everything known about one plan."""

    plan_id: str = ""
    spec: dict[str, Any] | None = None
    status: str = "draft"
    created_on: str = ""
    published: dict[str, Any] | None = None
    drawn: dict[str, Any] | None = None
    recusals: dict[str, dict[str, Any]] = field(default_factory=dict)
    replacements: tuple[dict[str, Any], ...] = ()

    @property
    def exists(self) -> bool:
        return bool(self.plan_id)

    @property
    def teams(self) -> dict[str, list[str]]:
        """Each drawn institution's current team: the draw's, then every replacement."""
        teams = {t["uscc"]: list(t["inspectors"]) for t in (self.drawn or {}).get("tasks", [])}
        for r in self.replacements:
            teams[r["uscc"]] = list(r["inspectors"])
        return teams

    def recused_from(self, uscc: str) -> set[str]:
        """Inspectors whose recusal from this institution was approved."""
        return {r["recused"] for r in self.replacements if r["uscc"] == uscc}


def initial() -> Plan:
    return Plan()


def evolve(state: Plan, name: str, data: dict[str, Any]) -> Plan:
    """Apply one stored event; unknown names leave the state as it is."""
    if name == "SamplingPlanCreated":
        spec = {"ends_on": default_ends_on(data["year"]), **data}
        return Plan(plan_id=data["plan_id"], spec={k: spec[k] for k in SPEC_FIELDS},
                    created_on=data["created_on"])
    if name == "SamplingPlanPublished":
        return replace(state, status="published", published=dict(data))
    if name == "DrawCompleted":
        return replace(state, status="drawn", drawn=dict(data))
    if name == "RecusalRequested":
        return replace(state, recusals={**state.recusals,
                                        data["recusal_id"]: {**data, "status": "pending"}})
    if name == "RecusalDecided":
        old = state.recusals[data["recusal_id"]]
        decided = {**old, "status": "approved" if data["approved"] else "refused",
                   "decision": {k: data[k] for k in ("approved", "reason", "department",
                                                     "decided_on")}}
        return replace(state, recusals={**state.recusals, data["recusal_id"]: decided})
    if name == "InspectorReplaced":
        return replace(state, replacements=(*state.replacements, dict(data)))
    return state


def decide_create(state: Plan, plan_id: str, spec: dict[str, Any],
                  today: date) -> list[DomainEvent]:
    """Create once; the same plan again stores nothing, a different one is refused."""
    if state.exists:
        if state.spec == spec:
            return []
        raise Conflict(f"计划 {plan_id} 已存在且内容不同")
    if spec["ends_on"] < today.isoformat():
        raise InvalidCommand({"ends_on": [f"计划结束日期不能早于今天 {today.isoformat()}"]})
    return [DomainEvent("SamplingPlanCreated", {"plan_id": plan_id, **spec,
                                                "created_on": today.isoformat()})]


def _existing(state: Plan, plan_id: str) -> Plan:
    if not state.exists:
        raise NotFound(f"没有编号为 {plan_id} 的抽查计划")
    return state


def decide_publish(state: Plan, plan_id: str, seed_commitment: str, snapshot: dict[str, Any],
                   sizes: dict[str, int], today: date) -> list[DomainEvent]:
    """Publish the commitment and the snapshot hash; publishing again changes nothing."""
    if _existing(state, plan_id).status != "draft":
        return []
    return [DomainEvent("SamplingPlanPublished", {
        "plan_id": plan_id, "commitment": seed_commitment, "snapshot_hash": digest(snapshot),
        "algorithm": snapshot["algorithm"], "published_on": today.isoformat(), **sizes})]


def decide_draw(state: Plan, plan_id: str, seed: str, snapshot: dict[str, Any],
                openings: dict[str, dict[str, Any]], today: date) -> list[DomainEvent]:
    """Reveal the seed and draw from the published snapshot; DrawInfeasible stores nothing.

    ``openings`` (the vault's, every object) give the declared conflicts; only the drawn
    objects' openings are published, with the seed."""
    plan = _existing(state, plan_id)
    if plan.status != "published":
        if plan.status == "drawn":
            return []
        raise Conflict(f"计划 {plan_id} 尚未公布，不能抽取")
    assert plan.published is not None
    if commitment(seed) != plan.published["commitment"]:
        raise Conflict("种子与公布的承诺值不符，拒绝抽取")
    if digest(snapshot) != plan.published["snapshot_hash"]:
        raise Conflict("名录快照与公布的哈希不符，拒绝抽取")
    legacy = is_legacy(snapshot)
    tags = {o["uscc"]: o.get("conflict_tag") for o in snapshot["objects"]}
    if not legacy and any(conflict_tag(openings.get(u) or {"uscc": u, "salt": "",
                                                           "inspectors": []}) != tag
                          for u, tag in tags.items()):
        raise Conflict("回避申报的开封值与名录快照不符，拒绝抽取")
    outcome = draw(seed, snapshot, {u: op["inspectors"] for u, op in openings.items()})
    tasks = [{**t, "task_id": task_id_of(plan_id, t["uscc"])} for t in outcome["tasks"]]
    opened = [] if legacy else [openings[t["uscc"]] for t in outcome["tasks"]]
    return [DomainEvent("DrawCompleted", {
        "plan_id": plan_id, "seed": seed, "commitment": plan.published["commitment"],
        "snapshot_hash": plan.published["snapshot_hash"], "result_hash": digest(outcome),
        "algorithm": outcome["algorithm"], "strata": outcome["strata"], "tasks": tasks,
        "conflict_openings": opened, "drawn_on": today.isoformat()})]


REQUESTERS = ("institution", "inspector")  # the party applies, or the officer declares
OPEN_TASK_STATUSES = ("assigned", "inspected")  # until the result is recorded


def _drawn(state: Plan, plan_id: str) -> dict[str, Any]:
    plan = _existing(state, plan_id)
    if plan.drawn is None:
        raise Conflict(f"计划 {plan_id} 尚未抽取，抽取后才能申请回避")
    return plan.drawn


def _task_open(task_id: str, task_status: str) -> None:
    if task_status not in OPEN_TASK_STATUSES:
        raise Conflict(f"任务 {task_id} 的检查结果已录入，不能再更换检查人员")


def decide_request_recusal(state: Plan, plan_id: str, request: dict[str, Any],
                           task_status: str, department: str,
                           today: date) -> list[DomainEvent]:
    """Record a recusal request: the institution's application (recorded by a department on
    its behalf) or the inspector's own declaration of a conflict. A pending identical request
    again stores nothing; a different one for the same inspector and task is refused."""
    drawn = _drawn(state, plan_id)
    task = next((t for t in drawn["tasks"] if t["task_id"] == request["task_id"]), None)
    if task is None:
        raise InvalidCommand({"task_id": [f"不是计划 {plan_id} 抽中的检查任务"]})
    if request["inspector"] not in state.teams[task["uscc"]]:
        raise InvalidCommand({"inspector": [f"{request['inspector']} 不在该任务的检查组中"]})
    if request["requested_by"] not in REQUESTERS:
        raise InvalidCommand({"requested_by": [f"须为 {', '.join(REQUESTERS)}"]})
    for r in state.recusals.values():
        if (r["status"] == "pending" and r["task_id"] == request["task_id"]
                and r["inspector"] == request["inspector"]):
            if all(r[k] == request[k] for k in ("requested_by", "reason")):
                return []
            raise Conflict(f"该检查人员已有待决定的回避申请 {r['recusal_id']}")
    _task_open(request["task_id"], task_status)
    return [DomainEvent("RecusalRequested", {
        "plan_id": plan_id, "recusal_id": f"R{len(state.recusals) + 1}",
        "task_id": request["task_id"], "uscc": task["uscc"],
        "inspector": request["inspector"], "requested_by": request["requested_by"],
        "reason": request["reason"], "recorded_by": department,
        "requested_on": today.isoformat()})]


def recusal_of(state: Plan, plan_id: str, recusal_id: str) -> dict[str, Any]:
    _existing(state, plan_id)
    found = state.recusals.get(recusal_id)
    if found is None:
        raise NotFound(f"计划 {plan_id} 没有编号为 {recusal_id} 的回避申请")
    return found


def decide_recusal(state: Plan, plan_id: str, recusal_id: str, approved: bool, reason: str,
                   department: str, snapshot: dict[str, Any] | None, task_status: str,
                   today: date) -> list[DomainEvent]:
    """The department decides (RecusalDecided); an approval also draws the replacement by the
    published rule (InspectorReplaced) from the revealed seed, the published snapshot and the
    opened conflicts. The same decision again stores nothing; a different one is refused.
    ReplacementInfeasible (nobody qualifies) stores nothing."""
    drawn = _drawn(state, plan_id)
    rec = recusal_of(state, plan_id, recusal_id)
    if rec["status"] != "pending":
        if rec["decision"]["approved"] == approved:
            return []
        raise Conflict(f"回避申请 {recusal_id} 已决定（{rec['status']}），不能改变")
    if not approved and not reason.strip():
        raise InvalidCommand({"reason": ["不予回避须说明理由"]})
    decided = DomainEvent("RecusalDecided", {
        "plan_id": plan_id, "recusal_id": recusal_id, "task_id": rec["task_id"],
        "uscc": rec["uscc"], "inspector": rec["inspector"], "approved": approved,
        "reason": reason, "department": department, "decided_on": today.isoformat()})
    if not approved:
        return [decided]
    _task_open(rec["task_id"], task_status)
    if snapshot is None or digest(snapshot) != drawn["snapshot_hash"]:
        raise Conflict("名录快照缺失或与公布的哈希不符，无法抽取替换人员")
    sequence = len(state.replacements) + 1
    conflicts = {op["uscc"]: op["inspectors"] for op in drawn.get("conflict_openings", [])}
    teams = state.teams
    uscc, out = rec["uscc"], rec["inspector"]
    new = replacement(drawn["seed"], snapshot, conflicts, teams, uscc, out, sequence,
                      state.recused_from(uscc))
    return [decided, DomainEvent("InspectorReplaced", {
        "plan_id": plan_id, "sequence": sequence, "recusal_id": recusal_id,
        "task_id": rec["task_id"], "uscc": uscc, "recused": out, "replacement": new,
        "inspectors": sorted([k for k in teams[uscc] if k != out] + [new]),
        "requested_by": rec["requested_by"], "replaced_on": today.isoformat()})]
