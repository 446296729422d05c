"""The directory snapshot a plan publishes the hash of, built from plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from inspection.domain.canonical import ALGORITHM
from inspection.domain.model import CREDIT_LEVELS, DEFAULT_CREDIT_LEVEL


@dataclass(frozen=True)
class DirectoryEntry:
    """One institution as the object directory knows it."""

    uscc: str
    district_code: str
    operator_type: str
    filing_status: str
    credit_level: str = DEFAULT_CREDIT_LEVEL


@dataclass(frozen=True)
class RosterEntry:
    """One inspector as the draw needs them (no personal details)."""

    key: str
    department: str
    active: bool
    conflicts: tuple[str, ...] = ()


def in_scope(entry: DirectoryEntry, districts: Iterable[str],
             operator_types: Iterable[str]) -> bool:
    """Filed, and inside the plan's districts and operator types (empty = all)."""
    districts, operator_types = set(districts), set(operator_types)
    return (entry.filing_status == "filed"
            and (not districts or entry.district_code in districts)
            and (not operator_types or entry.operator_type in operator_types))


def build_snapshot(plan: Mapping[str, Any], directory: Iterable[DirectoryEntry],
                   roster: Iterable[RosterEntry], previously_drawn: set[str],
                   last_inspectors: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """Everything the draw reads, in canonical order; hash it with canonical.digest."""
    exclude = previously_drawn if plan["exclude_previous_batches"] else set()
    objects = sorted(({"uscc": e.uscc, "credit_level": _level(e.credit_level),
                       "district_code": e.district_code, "operator_type": e.operator_type,
                       "excluded": e.uscc in exclude}
                      for e in directory if in_scope(e, plan["districts"],
                                                     plan["operator_types"])),
                     key=lambda o: str(o["uscc"]))
    in_plan = set(plan["departments"])
    inspectors = sorted(({"key": r.key, "department": r.department, "active": bool(r.active),
                          "conflicts": sorted(set(r.conflicts))}
                         for r in roster if r.department in in_plan), key=lambda i: str(i["key"]))
    usccs = {o["uscc"] for o in objects}
    last = {u: sorted(set(keys)) for u, keys in last_inspectors.items() if u in usccs and keys}
    return {"algorithm": ALGORITHM, "plan_id": plan["plan_id"],
            "departments": sorted(in_plan), "team_size": int(plan["team_size"]),
            "ratios_bp": {lv: int(plan["ratios_bp"][lv]) for lv in CREDIT_LEVELS},
            "objects": objects, "inspectors": inspectors, "last_inspectors": last}


def _level(level: str) -> str:
    return level if level in CREDIT_LEVELS else DEFAULT_CREDIT_LEVEL


def counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """Sizes published with the plan, so anyone can sanity-check the snapshot."""
    objects = snapshot["objects"]
    return {"objects": len(objects), "excluded_objects": sum(o["excluded"] for o in objects),
            "inspectors": len(snapshot["inspectors"]),
            "active_inspectors": sum(i["active"] for i in snapshot["inspectors"])}
