"""A small world for the complaints tests: in-memory store and vault, a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from complaints.app.common import Deps
from complaints.app.secrets import Secrets
from complaints.app.vault import MemoryKeys, Vault
from complaints.domain.rules import Rules

from shared.authority import BUSINESS_DUTIES, NATIONAL, Authority
from shared.clock import FixedClock
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.workdays import WorkCalendar

TODAY = date(2025, 3, 3)  # a Monday
USCC = "91500103MA5U7XYK4F"  # 渝中区 (500103)
OTHER_USCC = "52500108MJP512345Q"  # 南岸区


def china_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


def official(department: str, *regions: str, sub: str = "") -> Authority:
    return Authority(sub or f"t-{department}", department, regions or (NATIONAL,),
                     BUSINESS_DUTIES)


def meta(who: Authority) -> CommitMeta:
    return CommitMeta.of(who, "c-1")


@dataclass
class World:
    clock: FixedClock = field(default_factory=lambda: FixedClock(china_noon(TODAY)))
    rules: Rules = field(default_factory=Rules)

    def __post_init__(self) -> None:
        self.store = InMemoryEventStore("complaints", self.clock)
        self.keys = MemoryKeys()
        self.secrets = Secrets.generate()
        self.deps = Deps(self.store, self.clock, Vault(self.keys, self.secrets.master_key),
                         self.secrets, self.rules, WorkCalendar())

    def move_to(self, day: date) -> None:
        self.clock.set(china_noon(day))
