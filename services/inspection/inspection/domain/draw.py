"""The draw: deterministic given (seed, snapshot), re-runnable by anyone.

Objects: per credit level, rank the eligible institutions by HMAC-SHA256(seed,
"object|<level>|<uscc>") and take the first ceil(n * ratio). Inspectors: tasks in the order of
HMAC(seed, "order|<uscc>"); per task one inspector per plan department first, then the team is
filled to its size; each pick takes the candidate with the smallest (avoid, load, rank) where
avoid = 1 for whoever inspected the institution last time and rank = HMAC(seed,
"inspector|<key>|<load>"). Conflicted, inactive and already-picked inspectors never qualify.

Declared conflicts come from the openings of the drawn objects' conflict tags (snapshot.py),
never from the snapshot itself. A recusal approved after the draw replaces one inspector by
the best (avoid, load, HMAC(seed, "replace|<sequence>|<uscc>|<key>"), key) among the active
inspectors of the same department who are not on the team, not already recused from that
institution and have no declared conflict with it; sequence = 1, 2, ... per plan.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from inspection.domain.canonical import (
    ALGORITHM,
    LEGACY_ALGORITHMS,
    attempt_seed,
    commitment,
    conflict_tag,
    digest,
    prf,
)
from inspection.domain.errors import DrawInfeasible, ReplacementInfeasible
from inspection.domain.labels import DEPARTMENT_LABELS
from inspection.domain.model import BASIS_POINTS, CREDIT_LEVELS, RISK_CLASSES

Snapshot = dict[str, Any]
Outcome = dict[str, Any]
Candidate = tuple[int, int, str, str]  # (avoid, load, rank, key): smaller is better
Conflicts = Mapping[str, Collection[str]]  # uscc -> roster keys with a declared conflict


def is_legacy(snapshot: Snapshot) -> bool:
    """v1 snapshots carried each inspector's conflicts in clear."""
    return snapshot.get("algorithm") in LEGACY_ALGORITHMS


def _conflicts_of(snapshot: Snapshot, conflicts: Conflicts) -> dict[str, set[str]]:
    if not is_legacy(snapshot):
        return {u: set(keys) for u, keys in conflicts.items()}
    out: dict[str, set[str]] = defaultdict(set)
    for i in snapshot["inspectors"]:
        for uscc in i.get("conflicts", ()):
            out[uscc].add(i["key"])
    return dict(out)


def open_conflicts(snapshot: Snapshot,
                   openings: Iterable[Mapping[str, Any]]) -> tuple[dict[str, set[str]], list[str]]:
    """The conflicts of every opened object whose opening hashes to its conflict_tag, and a
    problem per opening that does not (unknown object, wrong salt or inspector list)."""
    tags = {o["uscc"]: o.get("conflict_tag") for o in snapshot["objects"]}
    conflicts: dict[str, set[str]] = {}
    problems: list[str] = []
    for op in openings:
        uscc = str(op.get("uscc", ""))
        try:
            ok = uscc in tags and conflict_tag(op) == tags[uscc]
        except (KeyError, TypeError):
            ok = False
        if ok:
            conflicts[uscc] = set(op["inspectors"])
        else:
            problems.append(f"{uscc}: 开封值与名录快照中的 conflict_tag 不符")
    return conflicts, problems


def stratum_size(eligible: int, ratio_bp: int) -> int:
    """Round up; a non-empty stratum with a positive ratio gives at least one."""
    return -(-eligible * ratio_bp // BASIS_POINTS) if eligible else 0


def draw_objects(seed: str, snapshot: Snapshot) -> tuple[list[dict[str, Any]], list[dict]]:
    """The drawn objects and per-level counts (level, eligible, ratio_bp, drawn). A snapshot
    with ``risk_ratios_bp`` is stratified by credit level and risk class: each (level,
    class) stratum takes the higher of the two ratios, its objects ranked by
    HMAC(seed, "object|<level>|<class>|<uscc>")."""
    if "risk_ratios_bp" in snapshot:
        return _draw_by_risk(seed, snapshot)
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


def _draw_by_risk(seed: str, snapshot: Snapshot) -> tuple[list[dict[str, Any]], list[dict]]:
    rank = prf(seed)
    drawn: list[dict[str, Any]] = []
    strata = []
    for level in CREDIT_LEVELS:
        for risk in RISK_CLASSES:
            eligible = [o for o in snapshot["objects"] if o["credit_level"] == level
                        and o.get("risk_class", "low") == risk and not o["excluded"]]
            ratio = max(int(snapshot["ratios_bp"].get(level, 0)),
                        int(snapshot["risk_ratios_bp"].get(risk, 0)))
            n = stratum_size(len(eligible), ratio)
            eligible.sort(key=lambda o: rank(f"object|{level}|{risk}|{o['uscc']}"))
            drawn.extend(eligible[:n])
            strata.append({"level": level, "risk_class": risk, "eligible": len(eligible),
                           "ratio_bp": ratio, "drawn": n})
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

    def __init__(self, seed: str, snapshot: Snapshot, conflicts: Conflicts) -> None:
        rank = prf(seed)
        self.departments = sorted(snapshot["departments"])
        self.size = max(int(snapshot["team_size"]), len(self.departments))
        self.conflicts = _conflicts_of(snapshot, conflicts)
        self.last = {u: set(keys) for u, keys in snapshot["last_inspectors"].items()}
        self.pools = {d: _Pool(sorted(i["key"] for i in snapshot["inspectors"]
                                      if i["department"] == d and i["active"]), rank)
                      for d in self.departments}
        self.dept_of = {i["key"]: i["department"] for i in snapshot["inspectors"]}

    def team(self, uscc: str) -> list[str]:
        """One per department first, then the best of any department until full."""
        team: list[str] = []
        avoid = self.last.get(uscc, set())
        conflicted = self.conflicts.get(uscc, set())

        def excluded(key: str) -> bool:
            return key in team or key in conflicted

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


def draw(seed: str, snapshot: Snapshot, conflicts: Conflicts) -> Outcome:
    """The complete, deterministic result of a draw; DrawInfeasible if it cannot be met.

    ``conflicts`` needs an entry for every drawn object (its opened conflict_tag); a v1
    snapshot carries its own and the argument is ignored.
    """
    algorithm = snapshot.get("algorithm")
    if algorithm != ALGORITHM and algorithm not in LEGACY_ALGORITHMS:
        raise DrawInfeasible(f"不支持的抽取算法：{algorithm}")
    drawn, strata = draw_objects(seed, snapshot)
    order = prf(seed)
    drawn.sort(key=lambda o: order(f"order|{o['uscc']}"))
    teams = _Teams(seed, snapshot, conflicts)
    tasks = [{"uscc": o["uscc"], "credit_level": o["credit_level"],
              "inspectors": teams.team(o["uscc"])} for o in drawn]
    tasks.sort(key=lambda t: t["uscc"])
    return {"algorithm": algorithm, "strata": strata, "tasks": tasks}


def replacement(seed: str, snapshot: Snapshot, conflicts: Conflicts,
                teams: Mapping[str, Sequence[str]], uscc: str, recused: str, sequence: int,
                excluded: Collection[str] = ()) -> str:
    """Who replaces ``recused`` on the team of ``uscc`` (the ``sequence``-th replacement of
    the plan), given the current teams of every task; ReplacementInfeasible if nobody can.

    Qualify: active, same department as the recused inspector, not on the team, not the
    recused inspector, not in ``excluded`` (recused from this institution before), no
    declared conflict with it. Best: smallest (avoid, load, rank, key) as in the draw, where
    load counts the current teams and rank = HMAC(seed, "replace|<sequence>|<uscc>|<key>").
    """
    team = teams.get(uscc)
    if team is None:
        raise ReplacementInfeasible(f"机构 {uscc} 不在本次抽取结果中", uscc=uscc)
    if recused not in team:
        raise ReplacementInfeasible(f"{recused} 不在机构 {uscc} 的检查组中", uscc=uscc)
    by_key = {i["key"]: i for i in snapshot["inspectors"]}
    dept = by_key[recused]["department"] if recused in by_key else recused.split("/", 1)[0]
    rank = prf(seed)
    load = Counter(k for t in teams.values() for k in t)
    avoid = set(snapshot["last_inspectors"].get(uscc, ()))
    barred = {*team, *excluded, recused, *_conflicts_of(snapshot, conflicts).get(uscc, ())}
    best = min(((int(k in avoid), load[k], rank(f"replace|{sequence}|{uscc}|{k}"), k)
                for k, i in by_key.items()
                if i["department"] == dept and i["active"] and k not in barred), default=None)
    if best is None:
        raise ReplacementInfeasible(
            f"机构 {uscc} 没有可替换 {recused} 的{DEPARTMENT_LABELS.get(dept, dept)}检查人员"
            "（其余人员均已停用、有利益冲突、已在本组或已回避；名录快照冻结后不能补入新人员）",
            uscc=uscc, department=dept)
    return best[3]


def replay(seed: str, snapshot: Snapshot, conflicts: Conflicts, outcome: Outcome,
           replacements: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Recompute every published replacement in sequence order from the recomputed draw; one
    row per replacement with the published and the recomputed inspector and whether the
    replacement and the resulting team match."""
    teams = {t["uscc"]: list(t["inspectors"]) for t in outcome["tasks"]}
    recused: dict[str, set[str]] = defaultdict(set)
    rows = []
    for n, r in enumerate(sorted(replacements, key=lambda r: int(r["sequence"])), start=1):
        uscc, out = r["uscc"], r["recused"]
        row = {"sequence": r["sequence"], "uscc": uscc, "recused": out,
               "published": r["replacement"]}
        try:
            if int(r["sequence"]) != n:
                raise ReplacementInfeasible(f"替换编号应为 {n}，公布的是 {r['sequence']}")
            new = replacement(seed, snapshot, conflicts, teams, uscc, out, n, recused[uscc])
        except ReplacementInfeasible as exc:
            rows.append({**row, "recomputed": f"infeasible: {exc.detail}", "matches": False})
            continue
        team = sorted([k for k in teams[uscc] if k != out] + [new])
        published_team = sorted(r.get("inspectors", team))
        rows.append({**row, "recomputed": new,
                     "matches": new == r["replacement"] and team == published_team})
        teams[uscc] = team
        recused[uscc].add(out)
    return rows


def verify(seed: str, snapshot: Snapshot, published_commitment: str,
           published_snapshot_hash: str, published_result_hash: str,
           openings: Iterable[Mapping[str, Any]] = (),
           replacements: Iterable[Mapping[str, Any]] = (),
           beacon: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Recompute a draw and every replacement from published data; all checks must hold.

    Checks: the commitment (SHA-256 of the revealed secret; of the seed for plans published
    before beacons); with a beacon ({secret, plan_id, attempt, checkpoint}) the seed =
    attempt_seed(secret, plan, attempt, checkpoint); snapshot hash; every opening hashes to
    its object's conflict_tag and every drawn object is opened; result hash; each replacement
    recomputed. That the checkpoint is the log's genuine first one holding the record that
    opened the attempt is checked against the log (shared.tlog.check_beacon).
    """
    legacy = is_legacy(snapshot)
    conflicts, problems = ({}, []) if legacy else open_conflicts(snapshot, openings)
    committed = seed if beacon is None else str(beacon["secret"])
    checks = {"commitment": commitment(committed) == published_commitment,
              "snapshot_hash": digest(snapshot) == published_snapshot_hash}
    if beacon is not None:
        checks["seed"] = attempt_seed(committed, str(beacon["plan_id"]), int(beacon["attempt"]),
                                      str(beacon["checkpoint"])) == seed
    outcome: Outcome | None = None
    try:
        outcome = draw(seed, snapshot, conflicts)
        result_hash = digest(outcome)
    except DrawInfeasible as exc:
        result_hash = f"infeasible: {exc.detail}"
    if outcome is not None and not legacy:
        problems += [f"{u}: 已抽中但未开封其 conflict_tag"
                     for u in sorted({t["uscc"] for t in outcome["tasks"]} - set(conflicts))]
    checks["conflict_openings"] = not problems
    checks["result_hash"] = result_hash == published_result_hash
    replacements = list(replacements)
    rows = (replay(seed, snapshot, conflicts, outcome, replacements) if outcome is not None
            else [{"sequence": r["sequence"], "uscc": r["uscc"], "recused": r["recused"],
                   "published": r["replacement"], "recomputed": result_hash, "matches": False}
                  for r in replacements])
    checks["replacements"] = all(r["matches"] for r in rows)
    return {"matches": all(checks.values()), "checks": checks,
            "recomputed": {"commitment": commitment(committed),
                           "snapshot_hash": digest(snapshot),
                           "result_hash": result_hash},
            "replacements": rows, "problems": problems}


def beacon_of(drawn: Mapping[str, Any], plan_id: str) -> dict[str, Any] | None:
    """What verify() needs to recompute a draw's seed from its public value (None for draws
    of plans published before beacons)."""
    if not drawn.get("secret"):
        return None
    return {"secret": drawn["secret"], "plan_id": plan_id, "attempt": drawn["attempt"],
            "checkpoint": drawn["beacon_checkpoint"]}


def attempt_problems(attempts: Sequence[Mapping[str, Any]]) -> list[str]:
    """The chain of draw attempts is whole: numbered 1, 2, ... without gap; every failed or
    voided attempt says why; only the last attempt may stand as drawn, and a voided attempt
    is one that was drawn."""
    problems: list[str] = []
    expected, drawn_open = 1, False
    for a in attempts:
        n, outcome = int(a["attempt"]), a["outcome"]
        if outcome == "voided":
            if not drawn_open or n != expected - 1:
                problems.append(f"第 {n} 次：作废的不是刚抽取的结果")
            drawn_open = False
        else:
            if drawn_open:
                problems.append(f"第 {n} 次：上一次抽取结果未作废就再次抽取")
            if n != expected:
                problems.append(f"第 {n} 次：应为第 {expected} 次（尝试记录不连续）")
            expected, drawn_open = n + 1, outcome == "drawn"
        if outcome != "drawn" and not str(a.get("reason") or "").strip():
            problems.append(f"第 {n} 次：未说明原因")
    return problems
