"""Filing (备案), its changes and cancellation; the 10-bed / 10-working-day rule."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.domain.errors import (
    AlreadyCancelled,
    AlreadyFiled,
    FilingCancelled,
    InvalidCommand,
    NotFiled,
)
from registry.domain.events import (
    InstitutionCancelled,
    InstitutionFiled,
    InstitutionFilingChanged,
    RegistryEvent,
)
from registry.domain.model import FilingDetails, diff
from registry.domain.ports import WorkCalendar
from registry.domain.rules import Rules
from registry.domain.state import Filing, Institution


@dataclass(frozen=True)
class FileInstitution:
    """File an institution with civil affairs (or re-file after a cancellation)."""

    uscc: str
    details: FilingDetails
    today: date


@dataclass(frozen=True)
class ChangeFiling:
    """Change some filed items; ``changes`` maps FilingDetails field names to new values."""

    uscc: str
    changes: dict[str, Any]
    today: date


@dataclass(frozen=True)
class CancelFiling:
    """Cancel (注销) a filing."""

    uscc: str
    reason: str
    today: date


@dataclass(frozen=True)
class Timing:
    """Whether filing was required, by when, and how late it came."""

    filing_required: bool
    filing_deadline: date | None
    late: bool
    late_by_workdays: int
    deadline_provisional: bool


def check_details(details: FilingDetails, today: date) -> None:
    """Raise InvalidCommand with every rule the details break."""
    errors: dict[str, list[str]] = {}
    if details.beds < 0:
        errors["beds"] = ["床位数不能为负数"]
    if details.nursing_beds < 0:
        errors["nursing_beds"] = ["护理型床位数不能为负数"]
    elif details.nursing_beds > details.beds:
        errors["nursing_beds"] = ["护理型床位数不能超过总床位数"]
    if not details.floor_area_m2 > 0:
        errors["floor_area_m2"] = ["建筑面积必须大于 0"]
    if details.first_admission_date and details.first_admission_date > today:
        errors["first_admission_date"] = ["首次收住日期不能晚于今天"]
    if errors:
        raise InvalidCommand(errors)


def assess_timing(details: FilingDetails, filed_on: date, calendar: WorkCalendar,
                  rules: Rules) -> Timing:
    """Deadline = N working days after the first admission (start day not counted)."""
    required = details.beds >= rules.filing_threshold_beds
    start = details.first_admission_date
    if not required or start is None:  # not yet admitting residents: nothing is due yet
        return Timing(required, None, False, 0, False)
    deadline = calendar.add_workdays(start, rules.filing_deadline_workdays)
    late = filed_on > deadline
    # late_by may be 0 when only non-working days passed since the deadline
    late_by = calendar.workdays_between(deadline, filed_on) if late else 0
    last_year = max(deadline, filed_on).year if late else deadline.year
    provisional = any(calendar.is_provisional(y) for y in range(start.year, last_year + 1))
    return Timing(required, deadline, late, late_by, provisional)


def receipt_number(uscc: str, district_code: str, year: int, earlier_filings: int) -> str:
    """Derived, not counted: division, year, the USCC's subject id; a re-filing gets -2, -3..."""
    suffix = f"-{earlier_filings + 1}" if earlier_filings else ""
    return f"{district_code}-{year}-备-{uscc[8:17]}{suffix}"


def decide_file(state: Institution, cmd: FileInstitution, calendar: WorkCalendar,
                rules: Rules) -> list[RegistryEvent]:
    """A filed institution re-sent identical details: nothing; different: AlreadyFiled."""
    check_details(cmd.details, cmd.today)
    current = state.filing
    if current is not None and current.status == "filed":
        if current.details == cmd.details:
            return []
        raise AlreadyFiled(cmd.uscc)
    timing = assess_timing(cmd.details, cmd.today, calendar, rules)
    receipt = receipt_number(cmd.uscc, cmd.details.district_code, cmd.today.year,
                             state.filings_count)
    return [InstitutionFiled(
        uscc=cmd.uscc, receipt_no=receipt, filing=cmd.details, filed_on=cmd.today,
        filing_required=timing.filing_required, filing_deadline=timing.filing_deadline,
        late=timing.late, late_by_workdays=timing.late_by_workdays,
        deadline_provisional=timing.deadline_provisional)]


def _active_filing(state: Institution, uscc: str) -> Filing:
    if state.filing is None:
        raise NotFiled(uscc)
    if state.filing.status == "cancelled":
        raise FilingCancelled(uscc)
    return state.filing


def decide_change(state: Institution, cmd: ChangeFiling) -> list[RegistryEvent]:
    """Merge the changes; no difference: nothing. Timeliness stays as judged at filing."""
    filing = _active_filing(state, cmd.uscc)
    unknown = sorted(set(cmd.changes) - set(FilingDetails.field_names()))
    if unknown:
        raise InvalidCommand({name: ["未知字段"] for name in unknown})
    merged = dataclasses.replace(filing.details, **cmd.changes)
    check_details(merged, cmd.today)
    changed = diff(filing.details, merged)
    if not changed:
        return []
    return [InstitutionFilingChanged(
        uscc=cmd.uscc, receipt_no=filing.receipt_no, filing=merged,
        changed_fields=tuple(changed), changed_on=cmd.today)]


def decide_cancel(state: Institution, cmd: CancelFiling) -> list[RegistryEvent]:
    """Cancel once; a retry with the same reason is answered with the existing cancellation."""
    reason = cmd.reason.strip()
    if not reason:
        raise InvalidCommand({"reason": ["注销理由不能为空"]})
    filing = state.filing
    if filing is None:
        raise NotFiled(cmd.uscc)
    if filing.status == "cancelled":
        if filing.cancel_reason == reason:
            return []
        raise AlreadyCancelled(cmd.uscc)
    return [InstitutionCancelled(uscc=cmd.uscc, receipt_no=filing.receipt_no, reason=reason,
                                 cancelled_on=cmd.today)]
