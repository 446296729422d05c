"""Who may write in risk: only the re-assessment check, a national civil-affairs leader. The
consumer and the scheduler act for the service itself; reads stop at the region."""

from __future__ import annotations

from risk.bootstrap import create_app

from shared.authority import LEADER
from shared.config import Settings
from shared.eventstore import InMemoryEventStore
from tests.authz.matrix import (
    NATIONAL_ONLY,
    Recipe,
    Request,
    Rule,
    as_official,
    check_operation,
    missing_recipes,
)


class World:
    def __init__(self) -> None:
        self.app = create_app(Settings(service="risk"), store=InMemoryEventStore("risk"))
        self.client = self.app.test_client()


RECIPES = {
    ("POST", "/api/v1/checks/reassessment"): Recipe(
        Rule(("civil_affairs",), duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/reassessment", {})),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("risk", RECIPES) == []


def test_matrix():
    for operation, recipe in RECIPES.items():
        world = World()
        assert check_operation(world.client, operation[0], recipe, world) == []


def test_an_institutions_risk_is_read_within_the_region_only():
    w = World()
    url = "/api/v1/institutions/91500103MA5U7XYK4F/risk"
    assert w.client.get(url, headers=as_official("fire_rescue", ("500108",))).status_code == 403
    assert w.client.get(url, headers=as_official("fire_rescue", ("500103",))).status_code == 404
