"""The SamplingPlan aggregate (stream plan-<plan id>): created → published → drawn."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from inspection.domain.canonical import commitment, digest
from inspection.domain.draw import draw
from inspection.domain.errors import Conflict, NotFound
from inspection.domain.model import DomainEvent, task_id_of

SPEC_FIELDS = ("series", "year", "batch", "title", "departments", "districts",
               "operator_types", "items", "ratios_bp", "team_size", "exclude_previous_batches")


@dataclass(frozen=True)
class Plan:
    """Everything known about one plan."""

    plan_id: str = ""
    spec: dict[str, Any] | None = None
    status: str = "draft"
    created_on: str = ""
    published: dict[str, Any] | None = None
    drawn: dict[str, Any] | None = None

    @property
    def exists(self) -> bool:
        return bool(self.plan_id)


def initial() -> Plan:
    return Plan()


def evolve(state: Plan, name: str, data: dict[str, Any]) -> Plan:
    """Apply one stored event; unknown names leave the state as it is."""
    if name == "SamplingPlanCreated":
        return Plan(plan_id=data["plan_id"], spec={k: data[k] for k in SPEC_FIELDS},
                    created_on=data["created_on"])
    if name == "SamplingPlanPublished":
        return replace(state, status="published", published=dict(data))
    if name == "DrawCompleted":
        return replace(state, status="drawn", drawn=dict(data))
    return state


def decide_create(state: Plan, plan_id: str, spec: dict[str, Any],
                  today: date) -> list[DomainEvent]:
    """Create once; the same plan again stores nothing, a different one is refused."""
    if state.exists:
        if state.spec == spec:
            return []
        raise Conflict(f"计划 {plan_id} 已存在且内容不同")
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
                today: date) -> list[DomainEvent]:
    """Reveal the seed and draw from the published snapshot; DrawInfeasible stores nothing."""
    plan = _existing(state, plan_id)
    if plan.status == "drawn":
        return []
    if plan.status != "published" or plan.published is None:
        raise Conflict(f"计划 {plan_id} 尚未公布，不能抽取")
    if commitment(seed) != plan.published["commitment"]:
        raise Conflict("种子与公布的承诺值不符，拒绝抽取")
    if digest(snapshot) != plan.published["snapshot_hash"]:
        raise Conflict("名录快照与公布的哈希不符，拒绝抽取")
    outcome = draw(seed, snapshot)
    tasks = [{**t, "task_id": task_id_of(plan_id, t["uscc"])} for t in outcome["tasks"]]
    return [DomainEvent("DrawCompleted", {
        "plan_id": plan_id, "seed": seed, "commitment": plan.published["commitment"],
        "snapshot_hash": plan.published["snapshot_hash"], "result_hash": digest(outcome),
        "algorithm": outcome["algorithm"], "strata": outcome["strata"], "tasks": tasks,
        "drawn_on": today.isoformat()})]


