"""Inspection events → credit: a random inspection that found problems (双随机 results)."""

from __future__ import annotations

from credit.consumers.base import Effect, record
from shared.envelope import Envelope

SOURCE = "inspection"


def map_event(env: Envelope) -> list[Effect]:
    """One record per inspection task whose recorded result found problems."""
    d = env.data
    if env.name != "InspectionResultRecorded" or not d["problem_found"]:
        return []
    problems = sum(1 for o in d["item_outcomes"] if o["outcome"] == "problem_found")
    return [record(env, d["uscc"], "inspection_problem",
                   f"双随机抽查发现问题 {problems} 项（{d['inspected_on']}）", "inspected_on",
                   f"inspection:task:{d['task_id']}")]
