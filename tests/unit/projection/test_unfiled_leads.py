"""Suspected unfiled operation is a lead for civil affairs, never public.

Invariants: (1) leads are invisible to the public: folding any registry history with lead
events inserted anywhere gives the same public document (fields, history, public version)
as without them, today and as of any day, and the public serialisation never carries a
suspicion flag or lead text; (2) a lead stays open until the institution files, the
enterprise stops being active, or 养老服务 leaves its scope.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from projection.domain.fold import as_of, fold
from projection.domain.leads import fold_leads, split
from projection.web.schemas import InstitutionDetailSchema

from tests.unit.projection import samples as s

CODE = s.uscc(7)
LEAD_WORDS = ("疑似", "未备案经营", "线索", "unfiled_suspected", "unfiled_detected",
              "UnfiledOperationSuspected", "宽限期")

PUBLIC = [
    ("EnterpriseRegistrationReceived", lambda: s.registration_received(CODE)),
    ("EnterpriseRegistrationChanged",
     lambda: s.registration_changed(CODE, ["record.status"], status="suspended")),
    ("InstitutionFiled", lambda: s.filed(CODE, late=True)),
    ("InstitutionFilingChanged", lambda: s.filing_changed(CODE, ["beds"], beds=150)),
    ("InstitutionCancelled", lambda: s.cancelled(CODE)),
]


def build(kinds: list[int], leads_before: list[bool]) -> tuple[list, list]:
    """(events with leads, the same without), stream versions numbered as the registry does."""
    with_leads, without, day = [], [], date(2026, 1, 5)
    for n, kind in enumerate(kinds):
        day += timedelta(days=3)
        name, data = PUBLIC[kind]
        if leads_before[n % len(leads_before)]:
            with_leads.append(s.event("UnfiledOperationSuspected", s.suspected(
                CODE, basis="filing_cancelled", since="2026-01-06"),
                len(with_leads) + 1, s.at(day.isoformat(), 9)))
        with_leads.append(s.event(name, data(), len(with_leads) + 1, s.at(day.isoformat())))
        without.append(s.event(name, data(), len(without) + 1, s.at(day.isoformat())))
    return with_leads, without


def public(doc):
    return {k: v for k, v in doc.items() if k != "_v"} if doc else doc


@settings(max_examples=200, deadline=None)
@given(kinds=st.lists(st.integers(0, len(PUBLIC) - 1), min_size=1, max_size=12),
       leads_before=st.lists(st.booleans(), min_size=1, max_size=12),
       probe=st.integers(0, 60))
def test_suspected_unfiled_leads_never_change_any_public_output(kinds, leads_before, probe):
    with_leads, without = build(kinds, leads_before)
    assert public(fold(CODE, with_leads)) == public(fold(CODE, without))
    day = date(2026, 1, 5) + timedelta(days=probe)
    assert public(as_of(CODE, with_leads, day)) == public(as_of(CODE, without, day))
    shown = json.dumps(InstitutionDetailSchema().dump(fold(CODE, with_leads)),
                       ensure_ascii=False)
    assert not any(word in shown for word in LEAD_WORDS)


def test_public_booleans_are_json_booleans_even_when_the_store_returns_0_and_1():
    doc = {**fold(CODE, s.lifecycle(CODE)), "late": 0, "elderly_care_scope": 1}
    dumped = InstitutionDetailSchema().dump(doc)
    assert dumped["late"] is False and dumped["elderly_care_scope"] is True
    assert "unfiled_suspected" not in dumped


def ev(name, data, version, day="2026-02-04"):
    return s.event(name, data, version, s.at(day))


RECEIVED = ev("EnterpriseRegistrationReceived", s.registration_received(CODE), 1, "2026-01-06")


def test_a_lead_opens_with_the_suspicion_and_says_why():
    [lead] = fold_leads([RECEIVED, ev("UnfiledOperationSuspected", s.suspected(CODE), 2)])
    assert (lead["status"], lead["basis"]) == ("open", "never_filed")
    assert lead["basis_label"] == "从未备案"
    assert (lead["since"], lead["deadline"], lead["detected_on"]) == (
        "2026-01-06", "2026-02-03", "2026-02-04")
    assert lead["district_name"] == "渝中区" and lead["cancelled_receipt_no"] is None


def test_a_lead_after_a_cancelled_filing_names_the_cancelled_receipt():
    events = [RECEIVED, ev("InstitutionFiled", s.filed(CODE), 2, "2026-02-10"),
              ev("InstitutionCancelled", s.cancelled(CODE), 3, "2026-06-30"),
              ev("UnfiledOperationSuspected", s.suspected(
                  CODE, basis="filing_cancelled", since="2026-06-30", deadline="2026-07-28",
                  detected_on="2026-07-29"), 4, "2026-07-29")]
    [lead] = fold_leads(events)
    assert lead["status"] == "open" and lead["basis"] == "filing_cancelled"
    assert (lead["cancelled_receipt_no"], lead["cancelled_on"]) == ("渝民养备 2026-0001",
                                                                    "2026-06-30")


def test_a_lead_closes_when_the_institution_files_or_stops_operating_in_elderly_care():
    lead = ev("UnfiledOperationSuspected", s.suspected(CODE), 2)
    filed = fold_leads([RECEIVED, lead, ev("InstitutionFiled", s.filed(CODE), 3, "2026-02-10")])
    inactive = fold_leads([RECEIVED, lead, ev("EnterpriseRegistrationChanged",
                                              s.registration_changed(CODE, ["status"],
                                                                     status="deregistered"), 3)])
    out_of_scope = fold_leads([RECEIVED, lead, ev("EnterpriseRegistrationChanged", {
        **s.registration_changed(CODE, ["business_scope"], business_scope="家政服务"),
        "elderly_care_scope": False}, 3)])
    assert [(x[0]["status"], x[0]["closed_because"]) for x in (filed, inactive, out_of_scope)] == [
        ("closed", "filed"), ("closed", "enterprise_inactive"), ("closed", "scope_removed")]
    assert filed[0]["closed_on"] == "2026-02-10"
    renamed = fold_leads([RECEIVED, lead, ev("EnterpriseRegistrationChanged",
                                             s.registration_changed(CODE, ["name"]), 3)])
    assert renamed[0]["status"] == "open"  # still active with 养老服务: the lead stands


def test_open_leads_come_first_longest_unfiled_first():
    a = {"status": "open", "since": "2026-03-01", "uscc": "A"}
    b = {"status": "open", "since": "2026-01-01", "uscc": "B"}
    c = {"status": "closed", "closed_on": "2026-05-01", "uscc": "C"}
    assert split([a, c, b]) == ([b, a], [c])
