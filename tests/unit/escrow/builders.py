"""A small in-memory world for the escrow tests: store, fixed clock, the shipped defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from escrow.app.accounts import open_account
from escrow.app.common import Handled, Policies
from escrow.app.contracts import declare_deposit, register_contract
from escrow.domain.contracts import RegisterContract
from escrow.domain.policy import default_policies

from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
from shared.clock import FixedClock
from shared.eventstore import CommitMeta, InMemoryEventStore

USCC = "91350100M000100Y43"
OTHER_USCC = "91110000802100433B"
TODAY = date(2025, 3, 3)
META = CommitMeta.of(Authority("tester", "civil_affairs", (NATIONAL,), BUSINESS_DUTIES), "c-1")


def china_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


@dataclass
class World:
    """Everything a handler needs, kept together so tests read like the use case."""

    clock: FixedClock = field(default_factory=lambda: FixedClock(china_noon(TODAY)))
    store: InMemoryEventStore = field(init=False)
    policies: Policies = field(init=False)

    def __post_init__(self) -> None:
        self.store = InMemoryEventStore("escrow", self.clock)
        self.policies = Policies(self.store, default_policies(30, 500))

    def move_to(self, day: date) -> None:
        self.clock.set(china_noon(day))

    def advance(self, days: int) -> None:
        self.clock.advance(days=days)

    def open(self, jurisdiction: str = "chongqing", uscc: str = USCC) -> Handled:
        return open_account(uscc, jurisdiction, "重庆银行", "6222000012345678", "AG-1",
                            store=self.store, clock=self.clock, policies=self.policies,
                            meta=META)

    def contract(self, cid: str = "C1", service: int = 300_000, bed: int = 100_000,
                 starts: date = TODAY, uscc: str = USCC) -> Handled:
        cmd = RegisterContract(uscc, cid, "R-7f3a9c", service, bed, starts, None, TODAY)
        return register_contract(cmd, store=self.store, policies=self.policies, meta=META)

    def declare(self, amount: int, kind: str = "deposit", receipt: str | None = None,
                cid: str = "C1", uscc: str = USCC) -> Handled:
        receipt = receipt or f"{kind}-{amount}-{len(self.store.load('escrow-' + uscc).events)}"
        return declare_deposit(uscc, cid, kind, receipt, amount, store=self.store,
                               clock=self.clock, policies=self.policies, meta=META)

    def events(self, uscc: str = USCC) -> list[str]:
        return [e.name for e in self.store.load(f"escrow-{uscc}").events]


def days(n: int) -> timedelta:
    return timedelta(days=n)
