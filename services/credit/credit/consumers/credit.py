"""The credit service's own events → credit files: penalties and listings count as records."""

from __future__ import annotations

from credit.app.penalties import penalty_category, penalty_record_id
from credit.consumers.base import Effect, WithdrawRecord, record
from shared.envelope import Envelope

SOURCE = "credit"


def _penalty(env: Envelope) -> list[Effect]:
    d = env.data
    uscc = d["party"]["uscc"]
    if not uscc:  # natural persons have no credit file here
        return []
    kinds = "、".join(s["kind"] for s in d["sanctions"])
    return [record(env, uscc, penalty_category(d["violation_type"]),
                   f"行政处罚 {d['decision_no']}（{d['authority']}）：{kinds}", "decided_on",
                   penalty_record_id(d["penalty_id"]))]


def map_event(env: Envelope) -> list[Effect]:
    """Penalties and listings add records; withdrawals, delistings and corrections take them
    back."""
    d = env.data
    if env.name == "PenaltyDecided":
        return _penalty(env)
    if env.name == "PenaltyWithdrawn" and d["uscc"]:
        return [WithdrawRecord(d["uscc"], penalty_record_id(d["penalty_id"]),
                               f"处罚决定{d['change']}：{d['reason']}")]
    if env.name == "SeriousDishonestyListed":
        return [record(env, d["uscc"], "serious_dishonesty",
                       f"列入严重失信主体名单（{d['decision_no']}）", "decided_on",
                       f"listing:{d['listing_id']}")]
    if env.name == "SeriousDishonestyDelisted":
        return [WithdrawRecord(d["uscc"], f"listing:{d['listing_id']}", f"移出名单：{d['reason']}")]
    if env.name == "ListingCorrected":  # a wrong listing: its record goes (already if delisted)
        return [WithdrawRecord(d["uscc"], f"listing:{d['listing_id']}",
                               f"列入有误，已更正（{d['decision_no']}）")]
    return []
