"""Value objects: pushed enterprise records, filing details and decided events."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

ELDERLY_CARE_SCOPE = "养老服务"  # the standardised business-scope wording (domain.md §6)
ENTERPRISE_STATUSES = ("active", "revoked", "deregistered", "suspended")
OPERATOR_TYPES = ("public", "private_profit", "private_nonprofit", "public_private")
PREMISES_OWNERSHIP = ("owned", "leased", "free_use", "other")


def iso(day: date | None) -> str | None:
    """A date as ISO text, None kept."""
    return day.isoformat() if day else None


def parse_date(text: str | None) -> date | None:
    """ISO text as a date, None kept."""
    return date.fromisoformat(text) if text else None


def diff(old: DataclassInstance, new: DataclassInstance) -> list[str]:
    """Names of the fields whose values differ, in declaration order."""
    return [f.name for f in dataclasses.fields(old)
            if getattr(old, f.name) != getattr(new, f.name)]


@dataclass(frozen=True)
class EnterpriseRecord:
    """One enterprise registration as pushed by market supervision."""

    uscc: str
    name: str
    entity_type: str
    legal_representative: str
    address: str
    district_code: str
    business_scope: str
    established_date: date
    status: str

    @property
    def elderly_care_scope(self) -> bool:
        return ELDERLY_CARE_SCOPE in self.business_scope

    def to_data(self) -> dict[str, Any]:
        return {**vars(self), "established_date": self.established_date.isoformat()}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> EnterpriseRecord:
        return cls(**{**data, "established_date": date.fromisoformat(data["established_date"])})


@dataclass(frozen=True)
class FilingDetails:
    """What an institution declares when it files (备案事项)."""

    name: str
    address: str
    district_code: str
    legal_representative: str
    operator_type: str
    premises_ownership: str
    beds: int
    nursing_beds: int
    floor_area_m2: float
    contact_name: str
    contact_phone: str
    first_admission_date: date | None = None

    def to_data(self) -> dict[str, Any]:
        return {**vars(self), "floor_area_m2": float(self.floor_area_m2),
                "first_admission_date": iso(self.first_admission_date)}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> FilingDetails:
        return cls(**{**data, "first_admission_date": parse_date(data["first_admission_date"])})

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))
