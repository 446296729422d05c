"""The authorization matrix: every write operation of every service's OpenAPI document, called
by an official of every department x duty x region variant, and the answer asserted exactly.

A service module ``tests/authz/<service>.py`` declares, for each write operation (method and
OpenAPI path), a ``Recipe``: the ``Rule`` that says who may call it, and ``prepare(world)``
which returns the request to send (a path with ids filled in and a valid body) against objects
the world seeded in the district ``IN``. The runner then sends the same request with each
cell's token. The expected answer of a cell is a function of the rule only:

* refused  -> 403 (never 401: every token is valid);
* allowed  -> anything but 401/403/5xx (the request may still meet a 409 or a 422 of the
  domain after an earlier allowed cell changed the object: authorization is checked first,
  on the loaded state, so the order of cells cannot turn a refusal into an answer).

Coverage is asserted too: an operation in the OpenAPI document without a recipe fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.authority import (
    ACCOUNT_ADMIN,
    CLERK,
    DEPARTMENTS,
    INSPECTOR,
    LEADER,
    NATIONAL,
    WRITE_DUTIES,
)
from tests.signer import mint

ROOT = Path(__file__).resolve().parents[2]
IN, OUT = "500103", "500108"  # 重庆市渝中区, 南岸区
REGION_VARIANTS = {"in": (IN,), "city": ("5001",), "out": (OUT,), "national": (NATIONAL,)}
DUTY_VARIANTS = (CLERK, INSPECTOR, LEADER, ACCOUNT_ADMIN)
WRITE_METHODS = ("post", "put", "patch", "delete")

OBJECT, NATIONAL_ONLY, ANY_REGION = "object", "national", "any"


@dataclass(frozen=True)
class Rule:
    """Who may call: one of ``departments`` holding one of ``duties``, and for ``region``:
    OBJECT (the object's district within the account's regions), NATIONAL_ONLY (national
    scope) or ANY_REGION (no region involved). ``scope``: a machine-client operation (only a
    token with that OAuth scope, no official)."""

    departments: tuple[str, ...]
    duties: tuple[str, ...] = WRITE_DUTIES
    region: str = OBJECT
    scope: str | None = None

    def allows(self, department: str, duty: str, region: str) -> bool:
        if self.scope is not None:
            return False  # officials never; the machine cell is checked on its own
        region_ok = {OBJECT: region in ("in", "city", "national"),
                     NATIONAL_ONLY: region == "national", ANY_REGION: True}[self.region]
        return department in self.departments and duty in self.duties and region_ok


@dataclass(frozen=True)
class Request:
    path: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipe:
    rule: Rule
    prepare: Callable[[Any], Request]


def write_operations(service: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every write operation in contracts/openapi/<service>.json."""
    doc = json.loads((ROOT / "contracts" / "openapi" / f"{service}.json").read_text())
    return sorted((m.upper(), p) for p, ops in doc["paths"].items() for m in ops
                  if m in WRITE_METHODS)


def cells() -> Iterator[tuple[str, str, str]]:
    for department in DEPARTMENTS:
        for duty in DUTY_VARIANTS:
            for region in REGION_VARIANTS:
                yield department, duty, region


def token(department: str, duty: str, region: str) -> str:
    return mint(f"matrix-{department}-{duty}-{region}", department,
                regions=REGION_VARIANTS[region], duties=(duty,))


def machine_token(scope: str, department: str = "market_supervision") -> str:
    return mint("matrix-machine", department, regions=(), duties=(), scope=scope)


def check_operation(client: Any, method: str, recipe: Recipe, world: Any) -> list[str]:
    """Every cell of one operation; the list of cells whose answer broke the rule."""
    wrong = []
    for department, duty, region in cells():
        req = recipe.prepare(world)
        resp = client.open(req.path, method=method, json=req.json, headers={
            **req.headers, "Authorization": f"Bearer {token(department, duty, region)}"})
        allowed = recipe.rule.allows(department, duty, region)
        status = resp.status_code
        ok = (status not in (401, 403) and status < 500) if allowed else status == 403
        if not ok:
            wrong.append(f"{method} {req.path} {department}/{duty}/{region}: {status} "
                         f"(expected {'allowed' if allowed else '403'}) "
                         f"{(resp.get_json(silent=True) or {}).get('detail', '')}")
    if recipe.rule.scope is not None:
        req = recipe.prepare(world)
        machine = machine_token(recipe.rule.scope, recipe.rule.departments[0])
        resp = client.open(req.path, method=method, json=req.json, headers={
            **req.headers, "Authorization": f"Bearer {machine}"})
        if resp.status_code in (401, 403) or resp.status_code >= 500:
            wrong.append(f"{method} {req.path} machine client: {resp.status_code}")
    return wrong


def missing_recipes(service: str, recipes: dict[tuple[str, str], Recipe]) -> list[str]:
    ops = set(write_operations(service))
    return [f"{m} {p}" for m, p in sorted(ops - set(recipes))] + \
        [f"recipe for an operation not in the OpenAPI document: {m} {p}"
         for m, p in sorted(set(recipes) - ops)]


def as_official(department: str, regions: tuple[str, ...] = (IN,),
                duties: tuple[str, ...] = WRITE_DUTIES, sub: str = "someone") -> dict[str, str]:
    """Headers of a named official's token (tests beyond the generated matrix)."""
    return {"Authorization": f"Bearer {mint(sub, department, regions=regions, duties=duties)}"}


def covers(regions: tuple[str, ...], district: str) -> bool:
    """The expected answer, written independently of the kernel: national scope, or a
    2/4/6-digit region that is a prefix of the district."""
    return any(r == NATIONAL or district.startswith(r) for r in regions)
