"""Who may write in complaints, cell by cell. The public's endpoints answer anyone (a token is
ignored there); handling is for the departments the complaint was routed to, in its
district; erasure for their leaders; intake for the hotline's machine client only."""

from __future__ import annotations

import itertools
from datetime import date

from complaints.app import challenge
from complaints.app.secrets import Secrets
from complaints.app.vault import MemoryKeys
from complaints.bootstrap import create_app

from shared.authority import BUSINESS_DUTIES, DEPARTMENTS, LEADER
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import InMemoryEventStore
from tests.authz.matrix import (
    ANY_REGION,
    DUTY_VARIANTS,
    IN,
    Recipe,
    Request,
    Rule,
    check_operation,
    missing_recipes,
)
from tests.unit.complaints.builders import china_noon
from tests.unit.registry.builders import make_uscc

ROUTED = ("civil_affairs", "market_supervision")  # fees and deposits
EVERYONE = Rule(DEPARTMENTS, duties=DUTY_VARIANTS, region=ANY_REGION)
_n = itertools.count(1)


class World:
    def __init__(self) -> None:
        clock = FixedClock(china_noon(date(2025, 3, 3)))
        settings = Settings(service="complaints", extra={  # 32 cells a second: no limit here
            "ELDERCARE_COMPLAINTS_PUBLIC_RATE_LIMIT": "100000 per second"})
        self.app = create_app(settings,
                              store=InMemoryEventStore("complaints", clock), clock=clock,
                              secrets=Secrets.generate(), keys=MemoryKeys())
        self.client = self.app.test_client()
        self.receipt = self.file()

    def form(self) -> dict:
        return {"category": "fees_deposits", "description": f"押金不退 {next(_n)}",
                "institution_uscc": make_uscc(7, district=IN), "anonymous": True}

    def file(self) -> dict:
        c = self.client.get("/api/v1/public/complaints/challenge").get_json()
        resp = self.client.post("/api/v1/public/complaints",
                                json={**self.form(), "altcha": challenge.solve(c)})
        assert resp.status_code == 201, resp.get_json()
        return resp.get_json()

    @property
    def base(self) -> str:
        return f"/api/v1/complaints/{self.receipt['complaint_id']}"

    def credentials(self) -> dict:
        return {"complaint_id": self.receipt["complaint_id"],
                "check_code": self.receipt["check_code"]}


def _public(w: World) -> Request:
    c = w.client.get("/api/v1/public/complaints/challenge").get_json()
    return Request("/api/v1/public/complaints", {**w.form(), "altcha": challenge.solve(c)})


RECIPES = {
    ("POST", "/api/v1/public/complaints"): Recipe(EVERYONE, _public),
    ("POST", "/api/v1/public/complaints/status"): Recipe(
        EVERYONE, lambda w: Request("/api/v1/public/complaints/status", w.credentials())),
    ("POST", "/api/v1/public/complaints/rating"): Recipe(
        EVERYONE, lambda w: Request("/api/v1/public/complaints/rating",
                                    {**w.credentials(), "rating": "satisfied"})),
    ("POST", "/api/v1/intake/complaints"): Recipe(
        Rule(("civil_affairs",), scope="complaints:intake"),
        lambda w: Request("/api/v1/intake/complaints", {
            **w.form(), "channel": "hotline_12349", "ticket": f"T-{next(_n)}"})),
    ("POST", "/api/v1/complaints/{complaint_id}/acceptance"): Recipe(
        Rule(ROUTED, duties=BUSINESS_DUTIES), lambda w: Request(f"{w.base}/acceptance", {})),
    ("POST", "/api/v1/complaints/{complaint_id}/investigation"): Recipe(
        Rule(ROUTED, duties=BUSINESS_DUTIES), lambda w: Request(
            f"{w.base}/investigation", {"finding": "partly", "summary": "部分属实"})),
    ("POST", "/api/v1/complaints/{complaint_id}/refusal"): Recipe(
        Rule(ROUTED), lambda w: Request(f"{w.base}/refusal", {"reason": "不属于受理范围"})),
    ("POST", "/api/v1/complaints/{complaint_id}/transfer"): Recipe(
        # a fresh complaint per cell: a transfer makes housing a handler of that one
        Rule(ROUTED), lambda w: Request(
            f"/api/v1/complaints/{w.file()['complaint_id']}/transfer",
            {"to_departments": ["housing"], "reason": "房屋安全"})),
    ("POST", "/api/v1/complaints/{complaint_id}/reply"): Recipe(
        Rule(ROUTED), lambda w: Request(f"{w.base}/reply", {"reply": "已处理"})),
    ("POST", "/api/v1/complaints/{complaint_id}/merge"): Recipe(
        Rule(ROUTED), lambda w: Request(f"{w.base}/merge", {
            "into": w.file()["complaint_id"]})),
    ("POST", "/api/v1/complaints/{complaint_id}/erasure"): Recipe(
        Rule(ROUTED, duties=(LEADER,)), lambda w: Request(f"{w.base}/erasure",
                                                          {"reason": "保存期满"})),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("complaints", RECIPES) == []


def test_matrix():
    for operation in sorted(RECIPES):
        world = World()
        assert check_operation(world.client, operation[0], RECIPES[operation], world) == [], \
            operation
