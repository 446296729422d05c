"""The directory snapshot a plan publishes the hash of, built from plain data.

Declared conflicts are sealed: each object carries ``conflict_tag`` = SHA-256 of canonical
{inspectors, salt, uscc} (canonical.conflict_tag), and the snapshot lists inspectors without
their conflicts. The openings (salt + inspector keys per object) stay in the vault; the draw
reveals only those of the drawn objects, which is all a verifier needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from inspection.domain.canonical import ALGORITHM, conflict_tag
from inspection.domain.model import CREDIT_LEVELS, RISK_CLASSES


@dataclass(frozen=True)
class DirectoryEntry:
    """One institution as the object directory knows it."""

    uscc: str
    district_code: str
    operator_type: str
    filing_status: str
    credit_level: str | None = None  # the directory always sets it (see credit_assessed)
    credit_assessed: bool = True  # False: no CreditLevelChanged yet, credit_level = neutral class
    risk_class: str = "low"  # the risk service's class (low until it says otherwise)


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


Openings = dict[str, dict[str, Any]]  # uscc -> {"uscc", "salt", "inspectors"}


def build_snapshot(plan: Mapping[str, Any], directory: Iterable[DirectoryEntry],
                   roster: Iterable[RosterEntry], previously_drawn: set[str],
                   last_inspectors: Mapping[str, Iterable[str]],
                   salt: Callable[[str], str]) -> tuple[dict[str, Any], Openings]:
    """Everything the draw reads, in canonical order (hash it with canonical.digest), and the
    secret openings of every object's conflict_tag; ``salt(uscc)`` gives that object's salt."""
    exclude = previously_drawn if plan["exclude_previous_batches"] else set()
    by_risk = bool(plan.get("risk_ratios_bp"))
    in_plan = set(plan["departments"])
    roster = [r for r in roster if r.department in in_plan]
    openings: Openings = {}
    objects = []
    for e in directory:
        if not in_scope(e, plan["districts"], plan["operator_types"]):
            continue
        openings[e.uscc] = {"uscc": e.uscc, "salt": salt(e.uscc),
                            "inspectors": sorted({r.key for r in roster if e.uscc in r.conflicts})}
        objects.append({"uscc": e.uscc, "credit_level": _level(e),
                        "district_code": e.district_code, "operator_type": e.operator_type,
                        "excluded": e.uscc in exclude,
                        "conflict_tag": conflict_tag(openings[e.uscc]),
                        # said in the snapshot itself: sampled in the neutral class because
                        # the credit level had not arrived (absent when it had)
                        **({} if e.credit_assessed else {"credit_assessed": False}),
                        # only plans that sample by risk class name it (older snapshots and
                        # their hashes stay as they were)
                        **({"risk_class": e.risk_class} if by_risk else {})})
    objects.sort(key=lambda o: str(o["uscc"]))
    inspectors = sorted(({"key": r.key, "department": r.department, "active": bool(r.active)}
                         for r in roster), key=lambda i: str(i["key"]))
    usccs = {o["uscc"] for o in objects}
    last = {u: sorted(set(keys)) for u, keys in last_inspectors.items() if u in usccs and keys}
    snapshot = {"algorithm": ALGORITHM, "plan_id": plan["plan_id"],
                "departments": sorted(in_plan), "team_size": int(plan["team_size"]),
                "ratios_bp": {lv: int(plan["ratios_bp"][lv]) for lv in CREDIT_LEVELS},
                "objects": objects, "inspectors": inspectors, "last_inspectors": last}
    if by_risk:
        snapshot["risk_ratios_bp"] = {c: int(plan["risk_ratios_bp"][c]) for c in RISK_CLASSES}
    return snapshot, openings


def _level(entry: DirectoryEntry) -> str:
    """The entry's class; never a silent default (the directory resolves unassessed ones)."""
    if entry.credit_level not in CREDIT_LEVELS:
        raise ValueError(f"{entry.uscc}: credit level {entry.credit_level!r} is not A/B/C/D")
    return str(entry.credit_level)


def counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """Sizes published with the plan, so anyone can sanity-check the snapshot."""
    objects = snapshot["objects"]
    return {"objects": len(objects), "excluded_objects": sum(o["excluded"] for o in objects),
            "inspectors": len(snapshot["inspectors"]),
            "active_inspectors": sum(i["active"] for i in snapshot["inspectors"])}
