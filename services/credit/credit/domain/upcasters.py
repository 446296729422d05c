"""Upcasters: data stored in an older schema version brought to the next one, on read.

Keyed by (event name, stored version); shared.domain.EventCatalog applies them in turn.
"""

from __future__ import annotations

from typing import Any

from shared.domain import Upcaster

# PenaltyDecided v1 → v2: the first keyword found in the authority's name, in this order.
AUTHORITY_KEYWORDS = (("消防", "fire_rescue"), ("市场监督", "market_supervision"),
                      ("市场监管", "market_supervision"), ("民政", "civil_affairs"),
                      ("卫生健康", "health"), ("卫健", "health"), ("应急管理", "emergency"),
                      ("公安", "public_security"), ("财政", "finance"), ("金融", "finance"))


def department_of_authority(authority: str) -> str | None:
    """The department an authority's name names (民政局 → civil_affairs), else None."""
    return next((dept for word, dept in AUTHORITY_KEYWORDS if word in authority), None)


def penalty_decided_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 did not record the deciding department: read it from the authority's name. A name
    that names none leaves it None: nobody may then act for the decision (credit README)."""
    return {**data, "department": department_of_authority(data["authority"])}


def credit_level_changed_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 levels came from the score (or a category forcing D) and had no neutral period; the
    event did not say which step set the level, so v1 reads as determined by the score."""
    return {**data, "determined_by": "score", "neutral_until": None}


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("PenaltyDecided", 1): penalty_decided_v1,
    ("CreditLevelChanged", 1): credit_level_changed_v1,
}
