"""What every view needs: wired dependencies and department checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, g

from inspection.app.plans import PlanDeps
from inspection.app.ports import Beacon, ObjectDirectory, Vault
from inspection.domain.model import DEPARTMENTS
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules
from shared.clock import Clock
from shared.eventstore import EventStore
from shared.http.problems import Problem

EXTENSION = "inspection"


@dataclass(frozen=True)
class Deps:
    """The service's dependencies, built once by bootstrap.create_app."""

    store: EventStore
    clock: Clock
    calendar: WorkCalendar
    rules: Rules
    directory: ObjectDirectory
    vault: Vault
    beacon: Beacon

    @property
    def plan_deps(self) -> PlanDeps:
        return PlanDeps(self.store, self.clock, self.directory, self.vault, self.beacon)


def deps() -> Deps:
    return current_app.extensions[EXTENSION]


def department_path(raw: str) -> str:
    """A department named in the URL, or 404."""
    if raw not in DEPARTMENTS:
        raise Problem(404, "Not Found", f"没有名为 {raw} 的执法部门")
    return raw


def require_department(departments: Iterable[str], what: str) -> None:
    """Only the departments concerned may act; 403 otherwise."""
    allowed = set(departments)
    role = g.principal.role
    if role not in allowed:
        limit = "、".join(sorted(allowed))
        raise Problem(403, "Forbidden", f"角色 {role} 不能{what}（限：{limit}）")
