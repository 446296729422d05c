"""Complaint rule numbers and the routing table, each with its basis and domain.md tag.

No national rule fixes the working days a regulator has to accept and answer an elderly-care
complaint; the defaults follow the local practice in references.md (12345 transfers answered
within 3/7/15 days by urgency; fire complaints verified within 3 working days, 公安部令120号)
and stay configuration (complaints/config.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.authority import DEPARTMENTS
from shared.rules import RuleError, rule

CATEGORIES = {
    "elder_abuse": "欺老虐老、照护疏忽",
    "service_quality": "服务质量",
    "fees_deposits": "收费与押金",
    "illegal_fundraising": "非法集资线索",
    "fire_safety": "消防安全",
    "food_safety": "食品安全",
    "other": "其他",
}
CHANNELS = {"web": "网上投诉", "hotline_12345": "12345热线", "hotline_12349": "12349养老服务热线"}
ANY_REGION = "*"

# (region prefix or "*", category, departments): the most specific region wins
Route = tuple[str, str, tuple[str, ...]]
DEFAULT_ROUTING: tuple[Route, ...] = (
    (ANY_REGION, "elder_abuse", ("civil_affairs", "public_security")),
    (ANY_REGION, "service_quality", ("civil_affairs",)),
    (ANY_REGION, "fees_deposits", ("civil_affairs", "market_supervision")),
    (ANY_REGION, "illegal_fundraising", ("civil_affairs", "public_security", "finance")),
    (ANY_REGION, "fire_safety", ("fire_rescue",)),
    (ANY_REGION, "food_safety", ("market_supervision",)),
    (ANY_REGION, "other", ("civil_affairs",)),
)
_LOCAL = "references.md: a municipal system answers 12345 transfers in 3/7/15 days by urgency"


def routing_from_json(value: object) -> tuple[Route, ...]:
    """{"*": {"elder_abuse": ["civil_affairs", ...], ...}, "500103": {...}} as routes."""
    if not isinstance(value, dict):
        raise TypeError("routing must be an object of regions")
    routes: list[Route] = []
    for region, table in value.items():
        if not isinstance(table, dict):
            raise TypeError("each region maps categories to departments")
        for category, departments in table.items():
            if not isinstance(departments, list):
                raise TypeError("departments must be a list")
            routes.append((str(region), str(category), tuple(str(d) for d in departments)))
    return tuple(routes)


@dataclass(frozen=True)
class Rules:
    """Deadlines in working days, the urgent categories and the routing table."""

    accept_workdays: int = rule(3, f"none found (domain.md); {_LOCAL}; fire complaints: "
                                   "3 working days (公安部令120号, domain.md §fire)",
                                "UNCONFIRMED")
    reply_workdays: int = rule(15, f"none found; {_LOCAL} (yellow: 15 days)", "UNCONFIRMED")
    urgent_accept_workdays: int = rule(
        1, "none found; an abuse report is acted on at once (issue 14); 24 h for blocked "
           "fire exits (公安部令120号)", "UNCONFIRMED")
    urgent_reply_workdays: int = rule(3, f"none found; {_LOCAL} (red: 3 days)", "UNCONFIRMED")
    urgent_categories: tuple[str, ...] = rule(
        ("elder_abuse",), "issue 14: an elder-abuse complaint reaches the departments at once",
        "UNCONFIRMED")
    routing: tuple[Route, ...] = rule(
        DEFAULT_ROUTING, "seeds 000/003/009: civil affairs leads; police for abuse and illegal "
                         "fund-raising; market supervision for fees and food; fire rescue",
        "LOCAL")
    check_seconds: int = rule(600, "scheduler interval of the overdue check (no rule)",
                              "OPERATIONAL")

    def __post_init__(self) -> None:
        for name in ("accept_workdays", "reply_workdays", "urgent_accept_workdays",
                     "urgent_reply_workdays"):
            if not 1 <= getattr(self, name) <= 60:
                raise RuleError(name, "must be within 1..60 working days")
        if self.urgent_accept_workdays > self.accept_workdays:
            raise RuleError("urgent_accept_workdays", "must not exceed accept_workdays")
        if self.urgent_reply_workdays > self.reply_workdays:
            raise RuleError("urgent_reply_workdays", "must not exceed reply_workdays")
        unknown = set(self.urgent_categories) - set(CATEGORIES)
        if unknown:
            raise RuleError("urgent_categories", f"names unknown categories {sorted(unknown)}")
        for region, category, departments in self.routing:
            if category not in CATEGORIES:
                raise RuleError("routing", f"names an unknown category {category!r}")
            if region != ANY_REGION and not (region.isdigit() and len(region) in (2, 4, 6)):
                raise RuleError("routing", f"region {region!r} is not a 2/4/6-digit code or *")
            if not departments or set(departments) - set(DEPARTMENTS):
                raise RuleError("routing", f"{category}: departments must be known and not "
                                           f"empty, got {list(departments)}")
        covered = {c for r, c, _ in self.routing if r == ANY_REGION}
        if covered != set(CATEGORIES):
            raise RuleError("routing", "needs a '*' route for every category, missing "
                                       f"{sorted(set(CATEGORIES) - covered)}")

    def route(self, category: str, district: str) -> tuple[str, ...]:
        """The departments of the most specific route covering ``district``."""
        best: tuple[int, tuple[str, ...]] = (-1, ())
        for region, cat, departments in self.routing:
            if cat != category:
                continue
            rank = 0 if region == ANY_REGION else len(region)
            if (region == ANY_REGION or district.startswith(region)) and rank > best[0]:
                best = (rank, departments)
        return best[1]

    def is_urgent(self, category: str) -> bool:
        return category in self.urgent_categories

    def accept_days(self, category: str) -> int:
        return self.urgent_accept_workdays if self.is_urgent(category) else self.accept_workdays

    def reply_days(self, category: str) -> int:
        return self.urgent_reply_workdays if self.is_urgent(category) else self.reply_workdays
