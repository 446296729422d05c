"""Value objects: rules, checklist items, inspectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain import Record

LEVELS = ("general", "major")  # 一般火灾隐患 / 重大火灾隐患
HAZARD_LEVELS = (*LEVELS, "pending_expert_review")
OUTCOMES = ("pass", "fail", "corrected_on_spot", "not_applicable")
KINDS = ("fire_supervision", "joint_daily")
INSPECTOR_DEPARTMENTS = {"fire_supervision": ("fire_rescue",),
                         "joint_daily": ("fire_rescue", "civil_affairs")}
REINSPECTION_OUTCOMES = ("fixed", "not_fixed")


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist line with a hint of how severe a failure usually is."""

    code: str
    title: str
    severity_hint: str

    def to_data(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "severity_hint": self.severity_hint}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ChecklistItem:
        return cls(data["code"], data["title"], data["severity_hint"])


@dataclass(frozen=True)
class Inspector(Record):
    """An inspector by user id (no personal data) and department (to_data/from_data)."""

    user_id: str
    department: str


def iso(day: date | None) -> str | None:
    """A date as ISO text, None kept."""
    return day.isoformat() if day else None


def parse_date(text: str | None) -> date | None:
    """ISO text as a date, None kept."""
    return date.fromisoformat(text) if text else None


def distinct(values: list[str] | tuple[str, ...]) -> list[str]:
    """Stripped, non-blank values without duplicates, first occurrence kept."""
    out: list[str] = []
    for v in (x.strip() for x in values):
        if v and v not in out:
            out.append(v)
    return out
