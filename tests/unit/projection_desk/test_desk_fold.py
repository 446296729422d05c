"""The desk's fold: every event it takes is declared and keyed; folding an event again
gives the same item; closing events never open one; an official sees an item exactly when
department, duty and region all reach it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from projection.features.desk import fold
from projection.features.desk.api import shown, urgency, visible
from projection.features.desk.projector import EVENT_TYPES, SOURCES

from shared.authority import NATIONAL, Authority
from shared.contracts import contracts_dir
from shared.envelope import parse_ce_type

USCC = "91500103MA0000001X"
CLOSING = {"RectificationVerified", "SealingConfirmed", "SealingLifted", "PenaltyPublished",
           "PenaltyWithdrawn", "SeriousDishonestyListed",
           "SeriousDishonestyProposalRejected", "FireInspectionCompleted",
           "JointMeasureExecuted", "JointMeasureLifted", "InstitutionFiled",
           "EscrowShortfallResolved", "RefundIssued", "DrawCompleted",
           "InspectionResultPublished", "InspectionTaskCancelled", "EscrowAccountClosed",
           "ComplaintRefused", "ComplaintReplied", "ComplaintClosed", "RiskAlertResolved",
           "TargetedInspectionResultPublished"}


def sample(service: str, name: str, version: int) -> dict:
    """Data of the event with every required field, of its contract's type."""
    path = contracts_dir() / "events" / service / f"{name}.v{version}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return {"_on": "2026-11-23",
            **{k: _value(k, schema["properties"].get(k, {})) for k in schema["required"]}}


def _value(key: str, prop: dict):
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    kind = next((t for t in kind if t != "null"), "string") if isinstance(kind, list) else kind
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return 1
    if kind == "array":
        return ["civil_affairs"] if "department" in key else []
    if kind == "object":
        return {"kind": "organisation", "uscc": USCC, "name": "康乐养老院"}
    if prop.get("format") == "date":
        return "2026-11-23"
    if "uscc" in key:
        return USCC
    return f"{key}-1"


EVENTS = sorted(parse_ce_type(t) for t in EVENT_TYPES)


def test_every_declared_event_is_folded_and_every_folded_one_declared():
    declared = {n for names in SOURCES.values() for n in names}
    assert declared == set(fold.KEYS) == set(fold.CHANGES)


@pytest.mark.parametrize(("service", "name", "version"), EVENTS,
                         ids=[f"{n}.v{v}" for _, n, v in EVENTS])
def test_folding_an_event_again_gives_the_same_item(service, name, version):
    data = sample(service, name, version)
    keys = fold.KEYS[name](data)
    data |= {"_key": keys if isinstance(keys, str) else keys[0], "_items": {}}
    opened = {"kind": "x", "uscc": USCC, "open": True, "due": "2026-11-23",
              "departments": ["fire_rescue"], "districts": ["500103"], "duties": []}
    for old in (None, opened):
        once = fold.CHANGES[name](old, data)
        base = once if once is not None else old
        twice = fold.CHANGES[name](base, data)
        assert (twice if twice is not None else base) == base
        if name in CLOSING:
            assert once is None or once["open"] is False
        assert fold.KEYS[name](data)  # an item id from the event alone


REGIONS = ("500103", "500108", "5001", "50", "51", NATIONAL)
DEPTS = ("civil_affairs", "fire_rescue", "finance")


@given(dept=st.sampled_from(DEPTS), regions=st.lists(st.sampled_from(REGIONS), min_size=1,
                                                      max_size=2, unique=True),
       duties=st.lists(st.sampled_from(("clerk", "inspector", "leader")), min_size=1,
                       unique=True),
       item_depts=st.lists(st.sampled_from(DEPTS), min_size=1, max_size=2, unique=True),
       districts=st.lists(st.sampled_from(("500103", "500108", "510104")), max_size=2),
       leader_only=st.booleans())
def test_an_official_sees_an_item_exactly_when_department_duty_and_region_reach(
        dept, regions, duties, item_depts, districts, leader_only):
    me = Authority("x", dept, tuple(regions), tuple(duties))
    item = {"departments": item_depts, "districts": districts,
            "duties": ["leader"] if leader_only else []}

    def reaches(d: str) -> bool:
        return any(r == NATIONAL or d.startswith(r) for r in regions)

    where = any(reaches(d) for d in districts) if districts else NATIONAL in regions
    expected = dept in item_depts and (not leader_only or "leader" in duties) and where
    assert visible(item, me) == expected


@given(dues=st.lists(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
                     min_size=1, max_size=8))
def test_overdue_first_then_by_due_date_and_undated_last(dues):
    today = "2026-11-23"
    items = sorted(({"due": d, "since": "2026-01-01"} for d in dues),
                   key=lambda i: urgency(i, today))
    ranks = [0 if i["due"] and i["due"] < today else 1 if i["due"] else 2 for i in items]
    assert ranks == sorted(ranks)
    dated = [i["due"] for i in items if i["due"]]
    overdue = [d for d in dated if d < today]
    assert dated == sorted(overdue) + sorted(d for d in dated if d >= today)


def test_a_filing_expected_then_suspected_closes_with_the_filing():
    received = {"uscc": USCC, "elderly_care_scope": True, "received_on": "2026-10-01",
                "record": {"name": "康乐养老服务有限公司", "district_code": "500103"}}
    suspected = {"uscc": USCC, "name": "康乐养老服务有限公司", "district_code": "500103",
                 "deadline": "2026-11-01", "detected_on": "2026-11-02"}
    doc = fold.CHANGES["EnterpriseRegistrationReceived"](None, received)
    assert doc["kind"] == "filing_expected" and doc["open"] and doc["due"] is None
    doc = fold.CHANGES["UnfiledOperationSuspected"](doc, suspected)
    assert (doc["kind"], doc["due"]) == ("suspected_unfiled", "2026-11-01")
    doc = fold.CHANGES["InstitutionFiled"](doc, {"uscc": USCC})
    assert doc["open"] is False
    assert fold.CHANGES["EnterpriseRegistrationReceived"](
        None, {**received, "elderly_care_scope": False}) is None  # no 养老服务: nothing due


def test_items_of_different_objects_never_share_an_id():
    """Ids that count per institution (shortfalls, contracts) are qualified by it: two
    institutions' first shortfall are two items."""
    a, b = "91500103MA0000001X", "91500108MA0000002X"
    for name, data in (("EscrowShortfallDetected", {"shortfall_id": "SF-1"}),
                       ("RefundOverdue", {"contract_id": "C1"})):
        assert fold.KEYS[name]({**data, "institution_uscc": a}) != \
            fold.KEYS[name]({**data, "institution_uscc": b})


MEMBERS = ("m1", "m2", "m3", "m4")


@given(majors=st.dictionaries(st.sampled_from(("exits", "lighting", "wiring")),
                              st.lists(st.sampled_from(MEMBERS), min_size=3, max_size=4,
                                       unique=True), min_size=1),
       answers=st.lists(st.tuples(st.sampled_from(("exits", "lighting", "wiring")),
                                  st.sampled_from(MEMBERS), st.booleans()), max_size=12),
       viewer=st.sampled_from(MEMBERS))
def test_a_collective_determination_waits_on_exactly_the_members_yet_to_answer(
        majors, answers, viewer):
    """GB 35181: the inspection's item is shown only to named members who have not yet
    answered; one dissent sends it back to the recorders; when every member of every major
    item agreed it waits to be completed; completing closes it."""
    base = {"inspection_id": "FI-1", "institution_uscc": USCC, "_on": "2026-11-23"}
    doc = None
    for code, members in majors.items():
        doc = fold.CHANGES["FireInspectionItemRecorded"](doc, {
            **base, "item_code": code, "outcome": "fail", "level": "major",
            "determined_by": members})
    given_answers: dict[tuple[str, str], bool] = {}
    for code, member, agree in answers:
        new = fold.CHANGES["CollectiveDeterminationConfirmed"](doc, {
            **base, "item_code": code, "member": member, "agree": agree,
            "confirmed_on": "2026-11-24"})
        if code in majors and member in majors[code] and (code, member) not in given_answers:
            given_answers[(code, member)] = agree
        doc = new if new is not None else doc
    awaited = {m for c, ms in majors.items() for m in ms if (c, m) not in given_answers}
    dissent = not all(given_answers.values())
    me = Authority(viewer, "fire_rescue", ("50",), ("inspector",))
    if dissent:
        assert doc["kind"] == "determination_disputed" and visible(doc, me)
    elif awaited:
        assert doc["kind"] == "determination_to_confirm"
        assert visible(doc, me) == (viewer in awaited)
    else:
        assert doc["kind"] == "inspection_to_complete" and visible(doc, me)
    assert doc["open"]
    assert fold.CHANGES["FireInspectionCompleted"](doc, base)["open"] is False


def test_re_recording_a_major_item_as_general_ends_its_determination():
    base = {"inspection_id": "FI-1", "institution_uscc": USCC, "_on": "2026-11-23",
            "item_code": "exits", "outcome": "fail"}
    doc = fold.CHANGES["FireInspectionItemRecorded"](None, {
        **base, "level": "major", "determined_by": ["m1", "m2", "m3"]})
    assert doc["kind"] == "determination_to_confirm" and doc["params"] == {"item_code": "exits"}
    doc = fold.CHANGES["FireInspectionItemRecorded"](doc, {
        **base, "level": "general", "determined_by": []})
    assert doc["open"] is False
    assert fold.CHANGES["FireInspectionItemRecorded"](None, {
        **base, "level": "general", "determined_by": []}) is None


@pytest.mark.parametrize(("deadline", "kind"), [("2026-11-23", "rectification_due"),
                                                ("2026-11-22", "reinspection_due")])
def test_a_rectification_past_its_deadline_is_a_re_inspection_due(deadline, kind):
    """The limit: due today is still a rectification; one day past, a re-inspection."""
    item = {"_id": "hazard:H", "kind": "rectification_due", "due": deadline,
            "departments": ["fire_rescue"], "districts": ["500103"]}
    out = shown(item, Authority("x", "fire_rescue", ("50",), ("inspector",)), "2026-11-23")
    assert out["kind"] == kind and out["overdue"] == (kind == "reinspection_due")



def _fold_all(events: list[tuple[str, dict]]) -> dict:
    """The items after folding (event name, data) pairs as the desk projector does."""
    items: dict = {}
    for name, data in events:
        found = fold.KEYS[name](data)
        before = dict(items)
        for key in [found] if isinstance(found, str) else found:
            new = fold.CHANGES[name](before.get(key), {**data, "_key": key, "_items": before,
                                                       "_on": "2026-11-23"})
            if new is not None:
                items[key] = new
    return items


def test_a_complaint_gives_each_department_its_item_until_it_is_done():
    cid = "TS23456789AB"
    base = {"complaint_id": cid, "institution_uscc": USCC, "institution_name": "康乐养老院",
            "district": "500103", "category": "fees_deposits"}
    received = {**base, "departments": ["civil_affairs", "market_supervision"],
                "received_on": "2026-11-02", "accept_due": "2026-11-05"}
    items = _fold_all([("ComplaintReceived", received)])
    ca, ms = f"complaint:{cid}:civil_affairs", f"complaint:{cid}:market_supervision"
    assert {k: (v["kind"], v["departments"], v["due"]) for k, v in items.items()} == {
        ca: ("complaint_to_accept", ["civil_affairs"], "2026-11-05"),
        ms: ("complaint_to_accept", ["market_supervision"], "2026-11-05")}
    items = _fold_all([("ComplaintReceived", received),
                       ("ComplaintAccepted", {**base, "department": "civil_affairs",
                                              "accepted_on": "2026-11-03",
                                              "reply_due": "2026-11-24"}),
                       ("ComplaintTransferred", {**base, "department": "market_supervision",
                                                 "to_departments": ["housing"],
                                                 "transferred_on": "2026-11-04",
                                                 "accept_due": "2026-11-07",
                                                 "reason": "x"})])
    hs = f"complaint:{cid}:housing"
    assert (items[ca]["kind"], items[ca]["due"]) == ("complaint_to_reply", "2026-11-24")
    assert items[ms]["open"] is False
    assert (items[hs]["departments"], items[hs]["name"], items[hs]["open"]) == (
        ["housing"], "康乐养老院", True)
    closed = _fold_all([("ComplaintReceived", received),
                        ("ComplaintClosed", {**base, "departments": [
                            "civil_affairs", "market_supervision"], "outcome": "merged"})])
    assert not any(i["open"] for i in closed.values())
    assert all("description" not in i and "contact_phone" not in i for i in items.values())


def test_a_voided_draw_puts_the_plan_back_to_draw_and_the_redraw_closes_it():
    created = sample("inspection", "SamplingPlanCreated", 1)
    item = fold.CHANGES["SamplingPlanCreated"](None, created)
    item = fold.CHANGES["SamplingPlanPublished"](item, sample("inspection",
                                                              "SamplingPlanPublished", 1))
    item = fold.CHANGES["DrawCompleted"](item, sample("inspection", "DrawCompleted", 1))
    assert item is not None and item["open"] is False
    item = fold.CHANGES["DrawVoided"](item, sample("inspection", "DrawVoided", 1))
    assert item is not None and item["open"] and item["kind"] == "plan_to_draw"
    item = fold.CHANGES["DrawCompleted"](item, sample("inspection", "DrawCompleted", 1))
    assert item is not None and item["open"] is False
