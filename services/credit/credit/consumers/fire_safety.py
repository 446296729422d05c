"""Fire-safety events → credit: major hazards, overdue rectification (and a listing proposal).

A major fire hazard left uncorrected past its deadline is a ground for the serious-dishonesty
list (民政部 管理办法（试行）), so RectificationOverdue of a major hazard also proposes listing;
civil affairs still decides.
"""

from __future__ import annotations

from credit.consumers.base import Effect, day, record
from credit.domain.listing import Propose
from shared.envelope import Envelope

SOURCE = "fire_safety"


def _overdue(env: Envelope) -> list[Effect]:
    d = env.data
    added = record(env, d["institution_uscc"], "fire_rectification_overdue",
                   f"{'重大' if d['level'] == 'major' else '一般'}火灾隐患逾期未整改"
                   f"（{d['order_no']}，期限 {d['deadline']}）", "detected_on")
    if d["level"] != "major":
        return [added]
    proposal = Propose(
        uscc=d["institution_uscc"], institution_name=d["institution_name"],
        ground="major_fire_hazard_overdue",
        ground_detail=(f"重大火灾隐患 {d['hazard_id']} 逾期未整改"
                       f"（{d['order_no']}，期限 {d['deadline']}）"),
        responsible_persons=(), proposed_by="fire_rescue", today=day(env, "detected_on"),
        source_event_id=env.id, auto=True)
    return [added, proposal]


def map_event(env: Envelope) -> list[Effect]:
    """Major hazards (identified or later determined) and overdue rectifications."""
    d = env.data
    if env.name == "FireHazardIdentified" and d["level"] == "major":
        return [record(env, d["institution_uscc"], "major_fire_hazard",
                       f"发现重大火灾隐患：{d['item_title']}", "identified_on",
                       f"fire_safety:hazard:{d['hazard_id']}")]
    if env.name == "MajorHazardDetermined":
        return [record(env, d["institution_uscc"], "major_fire_hazard",
                       "经集体讨论或专家组判定为重大火灾隐患", "determined_on",
                       f"fire_safety:hazard:{d['hazard_id']}")]
    if env.name == "RectificationOverdue":
        return _overdue(env)
    return []
