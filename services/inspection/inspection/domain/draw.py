"""The draw: deterministic given (seed, snapshot), re-runnable by anyone.

Objects: per credit level, rank the eligible institutions by HMAC-SHA256(seed,
"object|<level>|<uscc>") and take the first ceil(n * ratio). Inspectors: tasks in the order of
HMAC(seed, "order|<uscc>"); per task one inspector per plan department first, then the team is
filled to its size; each pick takes the candidate with the smallest (avoid, load, rank) where
avoid = 1 for whoever inspected the institution last time and rank = HMAC(seed,
"inspector|<key>|<load>"). Conflicted, inactive and already-picked inspectors never qualify.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from inspection.domain.canonical import ALGORITHM, commitment, digest, prf
from inspection.domain.errors import DrawInfeasible
from inspection.domain.labels import DEPARTMENT_LABELS
from inspection.domain.model import BASIS_POINTS, CREDIT_LEVELS

Snapshot = dict[str, Any]
Outcome = dict[str, Any]
Candidate = tuple[int, int, str, str]  # (avoid, load, rank, key): smaller is better


def stratum_size(eligible: int, ratio_bp: int) -> int:
    """Round up; a non-empty stratum with a positive ratio gives at least one."""
    return -(-eligible * ratio_bp // BASIS_POINTS) if eligible else 0


def draw_objects(seed: str, snapshot: Snapshot) -> tuple[list[dict[str, Any]], list[dict]]:
    """The drawn objects and per-level counts (level, eligible, ratio_bp, drawn)."""
    rank = prf(seed)
    drawn: list[dict[str, Any]] = []
    strata = []
    for level in CREDIT_LEVELS:
        eligible = [o for o in snapshot["objects"]
                    if o["credit_level"] == level and not o["excluded"]]
        ratio = int(snapshot["ratios_bp"].get(level, 0))
        n = stratum_size(len(eligible), ratio)
        eligible.sort(key=lambda o: rank(f"object|{level}|{o['uscc']}"))
        drawn.extend(eligible[:n])
        strata.append({"level": level, "eligible": len(eligible), "ratio_bp": ratio,
                       "drawn": n})
    return drawn, strata


class _Pool:
    """One department's active inspectors, a heap on (load, rank, key) with lazy updates."""

    def __init__(self, keys: list[str], rank: Callable[[str], str]) -> None:
        self.rank, self.load = rank, dict.fromkeys(keys, 0)
        self.heap = [(0, rank(f"inspector|{k}|0"), k) for k in keys]
        heapq.heapify(self.heap)

    def best(self, excluded: Callable[[str], bool], avoid: set[str]) -> Candidate | None:
        """The best qualified candidate; someone to avoid only when nobody else qualifies."""
        popped, fallback = [], None
        found: tuple[int, str, str] | None = None
        while self.heap:
            entry = heapq.heappop(self.heap)
            if self.load[entry[2]] != entry[0]:
                continue  # stale: this inspector was picked since
            popped.append(entry)
            if excluded(entry[2]):
                continue
            if entry[2] not in avoid:
                found = entry
                break
            fallback = fallback or entry
        for entry in popped:
            heapq.heappush(self.heap, entry)
        if found:
            return (0, *found)
        return (1, *fallback) if fallback else None

    def pick(self, key: str) -> None:
        self.load[key] += 1
        heapq.heappush(self.heap, (self.load[key], self.rank(f"inspector|{key}|"
                                                             f"{self.load[key]}"), key))


class _Teams:
    """Builds one team per task from per-department pools."""

    def __init__(self, seed: str, snapshot: Snapshot) -> None:
        rank = prf(seed)
        self.departments = sorted(snapshot["departments"])
        self.size = max(int(snapshot["team_size"]), len(self.departments))
        self.conflicts = {i["key"]: set(i["conflicts"]) for i in snapshot["inspectors"]}
        self.last = {u: set(keys) for u, keys in snapshot["last_inspectors"].items()}
        self.pools = {d: _Pool(sorted(i["key"] for i in snapshot["inspectors"]
                                      if i["department"] == d and i["active"]), rank)
                      for d in self.departments}
        self.dept_of = {i["key"]: i["department"] for i in snapshot["inspectors"]}

    def team(self, uscc: str) -> list[str]:
        """One per department first, then the best of any department until full."""
        team: list[str] = []
        avoid = self.last.get(uscc, set())

        def excluded(key: str) -> bool:
            return key in team or uscc in self.conflicts[key]

        for dept in self.departments:
            found = self.pools[dept].best(excluded, avoid)
            if found is None:
                raise DrawInfeasible(
                    f"机构 {uscc} 没有可派的{DEPARTMENT_LABELS.get(dept, dept)}检查人员"
                    "（均已停用、有利益冲突或已在本组）", uscc=uscc, department=dept)
            self._take(team, found)
        while len(team) < self.size:
            found_any = [c for c in (p.best(excluded, avoid) for p in self.pools.values()) if c]
            if not found_any:
                raise DrawInfeasible(f"机构 {uscc} 可派检查人员不足 {self.size} 名"
                                     f"（已派 {len(team)} 名）", uscc=uscc)
            self._take(team, min(found_any))
        return sorted(team)

    def _take(self, team: list[str], candidate: Candidate) -> None:
        key = candidate[3]
        self.pools[self.dept_of[key]].pick(key)
        team.append(key)


def draw(seed: str, snapshot: Snapshot) -> Outcome:
    """The complete, deterministic result of a draw; DrawInfeasible if it cannot be met."""
    if snapshot.get("algorithm") != ALGORITHM:
        raise DrawInfeasible(f"不支持的抽取算法：{snapshot.get('algorithm')}")
    drawn, strata = draw_objects(seed, snapshot)
    order = prf(seed)
    drawn.sort(key=lambda o: order(f"order|{o['uscc']}"))
    teams = _Teams(seed, snapshot)
    tasks = [{"uscc": o["uscc"], "credit_level": o["credit_level"],
              "inspectors": teams.team(o["uscc"])} for o in drawn]
    tasks.sort(key=lambda t: t["uscc"])
    return {"algorithm": ALGORITHM, "strata": strata, "tasks": tasks}


def verify(seed: str, snapshot: Snapshot, published_commitment: str,
           published_snapshot_hash: str, published_result_hash: str) -> dict[str, Any]:
    """Recompute a draw; every check must hold for ``matches``."""
    checks = {"commitment": commitment(seed) == published_commitment,
              "snapshot_hash": digest(snapshot) == published_snapshot_hash}
    try:
        result_hash = digest(draw(seed, snapshot))
    except DrawInfeasible as exc:
        result_hash = f"infeasible: {exc.detail}"
    checks["result_hash"] = result_hash == published_result_hash
    return {"matches": all(checks.values()), "checks": checks,
            "recomputed": {"commitment": commitment(seed), "snapshot_hash": digest(snapshot),
                           "result_hash": result_hash}}
