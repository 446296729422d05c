"""The public view of one institution and how each registry event changes it.

Leads for regulators (UnfiledOperationSuspected: a suspicion civil affairs must check, not a
finding) are not public: they change nothing in the view, not even its update time or its
public version, and add no history entry, so the public cannot tell one was raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projection.domain import history, labels, listing, search
from projection.domain.events import Event, iso_time
from projection.domain.masking import mask_name, mask_phone

View = dict[str, Any]

# Every view has every key (missing and null behave differently in the stores' queries).
# Values are JSON-native (times as ISO strings): what every document store keeps as given.
FIELDS: tuple[str, ...] = (
    "uscc", "name", "district_code", "district_name", "address",
    "operator_type", "operator_type_label", "beds", "nursing_beds", "floor_area_m2",
    "premises_ownership", "premises_ownership_label", "legal_representative",
    "contact_name", "contact_phone", "first_admission_date",
    "filing_status", "filing_status_label", "receipt_no", "filed_on", "late",
    "late_by_workdays", "cancelled_on", "cancel_reason",
    "enterprise_name", "entity_type", "enterprise_legal_representative", "registered_address",
    "registered_district_code", "business_scope", "established_date", "enterprise_status",
    "enterprise_status_label", "elderly_care_scope", "registration_received_on",
    "updated_at", "public_version",
)
# Kept for the directory's indexes only, never shown: the name's search tokens and the order
# fields (projection.domain.search, projection.domain.listing), recomputed at every step.
INDEX_FIELDS: tuple[str, ...] = ("search_keys", *listing.FIELDS)
FIELDS += INDEX_FIELDS
# Events the public never sees: leads for civil affairs (web/leads.py lists them).
LEAD_EVENTS = frozenset({"UnfiledOperationSuspected"})


def is_public(event: Event) -> bool:
    """Whether the event shows in the public view and its history."""
    return event.name not in LEAD_EVENTS


def blank(uscc: str) -> View:
    """The view of an institution no event has described yet."""
    view: View = dict.fromkeys(FIELDS)
    view.update(uscc=uscc, late=False, public_version=0)
    return _indexed(_with_status(view, "unfiled"))


def evolve(view: View, event: Event) -> View:
    """The view after ``event``; unknown event names only move updated_at."""
    return step(view, event)[0]


def step(view: View, event: Event) -> tuple[View, history.Entry | None]:
    """The view after ``event`` and the history entry it adds (None for a lead).

    ``public_version`` counts public events only: history entries are numbered by it, so
    a lead leaves no gap in the public numbering.
    """
    if not is_public(event):  # (index fields refreshed: a view stored without them gains them)
        return _indexed(dict(view)), None
    apply = _STEPS.get(event.name)
    new = apply(dict(view), event.data) if apply else dict(view)
    new["updated_at"] = iso_time(event.time)
    new["public_version"] = int(view.get("public_version") or 0) + 1
    return _indexed(new), history.entry(event, new["public_version"])


def _indexed(view: View) -> View:
    """The view with its index fields computed from its name and facets."""
    view["search_keys"] = search.name_tokens(view["name"])
    view.update(listing.order_fields(view))
    return view


def _with_status(view: View, status: str) -> View:
    view["filing_status"] = status
    view["filing_status_label"] = labels.label(labels.FILING_STATUS, status)
    return view


def _identity(view: View, name: str, address: str | None, district: str,
              legal_rep: str | None) -> View:
    """The name, place and legal representative the public sees first."""
    view["name"], view["district_code"] = name, district
    view["district_name"] = labels.district_name(district)
    if address is not None:
        view["address"] = address
    if legal_rep is not None:
        view["legal_representative"] = legal_rep
    return view


def _filing_details(view: View, filing: dict[str, Any]) -> View:
    view = _identity(view, filing["name"], filing["address"], filing["district_code"],
                     filing["legal_representative"])
    view.update(
        operator_type=filing["operator_type"],
        operator_type_label=labels.label(labels.OPERATOR_TYPES, filing["operator_type"]),
        premises_ownership=filing["premises_ownership"],
        premises_ownership_label=labels.label(labels.PREMISES_OWNERSHIP,
                                              filing["premises_ownership"]),
        beds=filing["beds"], nursing_beds=filing["nursing_beds"],
        floor_area_m2=filing["floor_area_m2"],
        contact_name=mask_name(filing["contact_name"]),
        contact_phone=mask_phone(filing["contact_phone"]),
        first_admission_date=filing["first_admission_date"],
    )
    return view


def _filed(view: View, data: dict[str, Any]) -> View:
    view = _with_status(_filing_details(view, data["filing"]), "filed")
    view.update(receipt_no=data["receipt_no"], filed_on=data["filed_on"], late=data["late"],
                late_by_workdays=data["late_by_workdays"], cancelled_on=None,
                cancel_reason=None)
    return view


def _filing_changed(view: View, data: dict[str, Any]) -> View:
    view = _filing_details(view, data["filing"])
    view["receipt_no"] = data["receipt_no"] or view["receipt_no"]
    return view


def _cancelled(view: View, data: dict[str, Any]) -> View:
    view = _with_status(view, "cancelled")
    view.update(cancelled_on=data["cancelled_on"], cancel_reason=data["reason"])
    return view


def _registration(view: View, data: dict[str, Any]) -> View:
    record = data["record"]
    view.update(
        enterprise_name=record["name"], entity_type=record["entity_type"],
        enterprise_legal_representative=record["legal_representative"],
        registered_address=record["address"], registered_district_code=record["district_code"],
        business_scope=record["business_scope"], established_date=record["established_date"],
        enterprise_status=record["status"],
        enterprise_status_label=labels.label(labels.ENTERPRISE_STATUS, record["status"]),
        elderly_care_scope=data["elderly_care_scope"],
        registration_received_on=view["registration_received_on"] or data["received_on"],
    )
    if view["receipt_no"] is None:  # until filed, the enterprise register names the operator
        view = _identity(view, record["name"], record["address"], record["district_code"],
                         record["legal_representative"])
    return view


_STEPS: dict[str, Callable[[View, dict[str, Any]], View]] = {
    "EnterpriseRegistrationReceived": _registration,
    "EnterpriseRegistrationChanged": _registration,
    "InstitutionFiled": _filed,
    "InstitutionFilingChanged": _filing_changed,
    "InstitutionCancelled": _cancelled,
}
