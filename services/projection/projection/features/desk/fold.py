"""The desk's work items: each open item is something an official must do by a date (a legal
deadline where the rules give one), opened and closed by the services' events. One document
per thing to be done; its ``kind`` moves on as the thing does (a hazard: an order to serve,
then a rectification to watch), and ``open`` turns false when nothing is left to do.

Item fields: kind, uscc, name, ref (the object's id in its service), departments (who does
it), districts (where; [] for the whole country), duties ([] any business duty), members
([] anyone so placed; else only these accounts), params (more path parameters of the form
that does it), due (ISO date or None), since (ISO date), open.

Every change function gets the event's data with ``_on``: the China date the event was
stored, for events that carry no date of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
ITEMS = "desk_items"
CA, FR = "civil_affairs", "fire_rescue"
LEADER = "leader"


def district(uscc: str) -> str:
    """Characters 3–8 of a USCC: the registering authority's division (GB 32100-2015)."""
    return uscc[2:8] if len(uscc) == 18 else ""


def _item(kind: str, uscc: str, ref: str, departments: list[str], due: str | None,
          since: str, name: str = "", districts: list[str] | None = None,
          duties: list[str] | None = None) -> Doc:
    where = districts if districts is not None else ([district(uscc)] if uscc else [])
    return {"kind": kind, "uscc": uscc, "name": name, "ref": ref, "departments": departments,
            "districts": [d for d in where if d], "duties": duties or [], "members": [],
            "params": {}, "due": due, "since": since, "open": True}


# key of the item an event is about: (event name) -> data -> item _id (or several: the
# change function then finds which one in data["_key"])
KEYS: dict[str, Callable[[dict[str, Any]], str | list[str]]] = {}
# how the event changes the item: (old doc or None, data) -> new doc (None: no change)
CHANGES: dict[str, Callable[[Doc | None, dict[str, Any]], Doc | None]] = {}


def on(*names: str, key: Callable[[dict[str, Any]], str | list[str]]) -> Callable[[Any], Any]:
    def deco(fn: Callable[[Doc | None, dict[str, Any]], Doc | None]) -> Any:
        for n in names:
            KEYS[n], CHANGES[n] = key, fn
        return fn
    return deco


def _close(old: Doc | None, data: dict[str, Any]) -> Doc | None:
    return None if old is None else {**old, "open": False}


def _hazard(d: dict[str, Any]) -> str:
    return f"hazard:{d['hazard_id']}"


def _sealing(d: dict[str, Any]) -> str:
    return f"sealing:{d['hazard_id']}"


# -- fire safety ------------------------------------------------------------------------
@on("FireHazardIdentified", key=_hazard)
def _identified(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("order_to_serve", d["institution_uscc"], d["hazard_id"], [FR],
                 d["service_due"], d["identified_on"], d["institution_name"])


@on("RectificationOrdered", "RectificationExtended", key=_hazard)
def _ordered(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    base = old or _item("", d["institution_uscc"], d["hazard_id"], [FR], None,
                        d.get("served_on") or d.get("extended_on", ""), d["institution_name"])
    return {**base, "kind": "rectification_due", "due": d["deadline"], "open": True}


on("RectificationVerified", key=_hazard)(_close)


@on("SealingProposed", key=_sealing)
def _proposed(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    due = (old or {}).get("due") if d["purpose"] == "confirm" else d["proposed_on"]
    return _item("sealing_to_confirm", d["institution_uscc"], d["hazard_id"], [FR], due,
                 d["proposed_on"], d["institution_name"])


@on("SealingOrdered", key=_sealing)
def _sealed(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    if d["decision"] != "emergency":
        return _close(old, d)
    return _item("sealing_to_confirm", d["institution_uscc"], d["hazard_id"], [FR],
                 d["confirm_by"], d["ordered_on"], d["institution_name"])


on("SealingConfirmed", "SealingLifted", key=_sealing)(_close)


@on("SealingMemberConfirmed", key=_sealing)
def _member(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    # a dissent ends a collective sealing proposal; an emergency sealing still awaits its
    # collective confirmation (a new proposal)
    return _close(old, d) if not d["agree"] and d["purpose"] == "order" else None


def _determination(d: dict[str, Any]) -> str:
    return f"determination:{d['inspection_id']}"


def _determination_state(base: Doc, pending: dict[str, list[str]], disputed: list[str],
                         majors: list[str]) -> Doc:
    """One item per inspection with major items (GB 35181 collective determination):
    members still to answer see 集体判定待表态; a dissent sends it back to the recorders
    (re-record the item); when every member of every major item agreed, the inspection
    waits to be completed."""
    members = sorted({m for ms in pending.values() for m in ms})
    if disputed:
        kind, members = "determination_disputed", []
    elif members:
        kind = "determination_to_confirm"
    else:
        kind = "inspection_to_complete"
    first = (disputed or [c for c in sorted(pending) if pending[c]] or majors or [""])[0]
    return {**base, "kind": kind, "members": members, "pending": pending,
            "disputed": disputed, "majors": majors, "params": {"item_code": first},
            "open": True}


@on("FireInspectionItemRecorded", key=_determination)
def _major_item(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    code = d["item_code"]
    majors = sorted(set((old or {}).get("majors", [])) - {code})
    pending = {c: m for c, m in (old or {}).get("pending", {}).items() if c != code}
    disputed = [c for c in (old or {}).get("disputed", []) if c != code]
    if d.get("level") == "major" and d.get("determined_by"):
        majors, pending[code] = sorted([*majors, code]), sorted(d["determined_by"])
    if not majors:
        return None if old is None else {**old, "open": False, "majors": [], "pending": {},
                                         "disputed": []}
    base = old or _item("", d["institution_uscc"], d["inspection_id"], [FR], None, d["_on"])
    return _determination_state(base, pending, disputed, majors)


@on("CollectiveDeterminationConfirmed", key=_determination)
def _determination_vote(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    code, member = d["item_code"], d["member"]
    if old is None or not old.get("open") or member not in old.get("pending", {}).get(code, []):
        return None  # not named, or answered already (a member answers once)
    pending = {**old["pending"], code: [m for m in old["pending"][code] if m != member]}
    disputed = sorted({*old.get("disputed", []), *([] if d["agree"] else [code])})
    return _determination_state(old, pending, disputed, old.get("majors", []))


on("FireInspectionCompleted", key=_determination)(_close)


# -- credit -----------------------------------------------------------------------------
@on("PenaltyDecided", key=lambda d: f"penalty:{d['penalty_id']}")
def _penalty(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    if not d.get("publish_required", True):
        return None
    party = d.get("party") or {}
    return _item("penalty_to_disclose", party.get("uscc") or "", d["penalty_id"],
                 [d.get("department") or ""], d["publish_due_by"], d["decided_on"],
                 party.get("name", "") if party.get("kind") != "person" else "",
                 districts=[d["district_code"]])


on("PenaltyPublished", "PenaltyWithdrawn", key=lambda d: f"penalty:{d['penalty_id']}")(_close)


@on("SeriousDishonestyProposed", key=lambda d: f"listing:{d['uscc']}")
def _proposal(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("listing_to_decide", d["uscc"], d["listing_id"], [CA], None,
                 d["proposed_on"], d["institution_name"], duties=[LEADER])


on("SeriousDishonestyListed", "SeriousDishonestyProposalRejected",
   key=lambda d: f"listing:{d['uscc']}")(_close)


@on("JointMeasureIssued", key=lambda d: f"measure:{d['measure_id']}")
def _measure(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("measure_to_execute", d["uscc"], d["measure_id"], [d["department"]],
                 d["due_by"], d["issued_on"])


on("JointMeasureExecuted", "JointMeasureLifted",
   key=lambda d: f"measure:{d['measure_id']}")(_close)


# -- registry ---------------------------------------------------------------------------
def _filing(d: dict[str, Any]) -> str:
    return f"filing:{d['uscc']}"


@on("UnfiledOperationSuspected", key=_filing)
def _unfiled(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("suspected_unfiled", d["uscc"], d["uscc"], [CA], d["deadline"],
                 d["detected_on"], d["name"], districts=[d["district_code"]])


@on("EnterpriseRegistrationReceived", key=_filing)
def _registered(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    """An enterprise registered with 养老服务 in its scope is expected to file (no date: the
    registry's own check raises the suspicion when its grace period has passed). Whatever
    the item already says (suspected, filed) stands."""
    if not d.get("elderly_care_scope") or old is not None:
        return None
    record = d.get("record") or {}
    return _item("filing_expected", d["uscc"], d["uscc"], [CA], None, d["received_on"],
                 record.get("name", ""),
                 districts=[record.get("district_code") or district(d["uscc"])])


on("InstitutionFiled", key=_filing)(_close)


# -- escrow -----------------------------------------------------------------------------
def _shortfall_key(d: dict[str, Any]) -> str:
    """Shortfall ids count per institution (SF-1, SF-2 ...): the item names both."""
    return f"shortfall:{d['institution_uscc']}:{d['shortfall_id']}"


@on("EscrowShortfallDetected", key=_shortfall_key)
def _shortfall(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("escrow_shortfall", d["institution_uscc"], d["shortfall_id"],
                 [CA, "finance"], d["detected_on"], d["detected_on"])


on("EscrowShortfallResolved", key=_shortfall_key)(_close)


def _refund(d: dict[str, Any]) -> str:
    return f"refund:{d['institution_uscc']}:{d['contract_id']}"


@on("RefundOverdue", key=_refund)
def _refund_overdue(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("refund_overdue", d["institution_uscc"], d["contract_id"], [CA, "finance"],
                 d["refund_due_by"], d["detected_on"])


on("RefundIssued", key=_refund)(_close)


def _statement(d: dict[str, Any]) -> str:
    return f"statement:{d['institution_uscc']}"


def _next_month(day: str) -> str:
    """The same day a month later (the 28th at most, so every month has it)."""
    y, m, dd = int(day[:4]), int(day[5:7]), min(int(day[8:10]), 28)
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}-{dd:02d}"


@on("EscrowAccountOpened", "BankStatementImported", key=_statement)
def _statement_due(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    """A supervised account's bank statement is imported every month: due a month after the
    account opened or the last import (never closes while the account is open)."""
    if old is not None and not old.get("open"):
        return None
    since = d.get("opened_on") or d.get("imported_on") or ""
    return _item("statement_due", d["institution_uscc"], d["institution_uscc"],
                 [CA, "finance"], _next_month(since), since)


on("EscrowAccountClosed", key=_statement)(_close)


# -- inspection -------------------------------------------------------------------------
@on("SamplingPlanCreated", key=lambda d: f"plan:{d['plan_id']}")
def _plan(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("plan_to_publish", "", d["plan_id"], list(d["departments"]), None,
                 d["created_on"], d["title"], districts=list(d["districts"]))


@on("SamplingPlanPublished", key=lambda d: f"plan:{d['plan_id']}")
def _published(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return None if old is None else {**old, "kind": "plan_to_draw", "since": d["published_on"]}


on("DrawCompleted", key=lambda d: f"plan:{d['plan_id']}")(_close)


@on("DrawVoided", key=lambda d: f"plan:{d['plan_id']}")
def _voided(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    """A voided draw puts the plan back on the desk: it waits for its redraw."""
    return None if old is None else {**old, "kind": "plan_to_draw", "open": True,
                                     "since": d["voided_on"]}


@on("InspectionTaskAssigned", key=lambda d: f"task:{d['task_id']}")
def _task(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return _item("task_without_result", d["uscc"], d["task_id"], list(d["departments"]),
                 None, d["assigned_on"])


@on("InspectionResultRecorded", key=lambda d: f"task:{d['task_id']}")
def _recorded(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    base = old or _item("", d["uscc"], d["task_id"], list(d["departments"]), None,
                        d["recorded_on"])
    return {**base, "kind": "result_to_publish", "due": d["publish_deadline"], "open": True}


on("InspectionResultPublished", "InspectionTaskCancelled",
   key=lambda d: f"task:{d['task_id']}")(_close)


# -- complaints: one item per complaint and department ---------------------------------------
# Items carry no words of the complaint and no contact: the form page reads the complaint
# from the complaints service with the official's own token.
def _complaint(d: dict[str, Any], department: str) -> str:
    return f"complaint:{d['complaint_id']}:{department}"


def _department_of(d: dict[str, Any]) -> str:
    return str(d["_key"]).rsplit(":", 1)[1]


def _complaint_item(d: dict[str, Any], department: str, due: str, since: str) -> Doc:
    item = _item("complaint_to_accept", d.get("institution_uscc", ""), d["complaint_id"],
                 [department], due, since, d.get("institution_name", ""),
                 districts=[d["district"]])
    return {**item, "category": d["category"]}


@on("ComplaintReceived",
    key=lambda d: [_complaint(d, dept) for dept in d["departments"]])
def _complaint_received(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return old or _complaint_item(d, _department_of(d), d["accept_due"], d["received_on"])


@on("ComplaintTransferred",
    key=lambda d: [_complaint(d, d["department"]),
                   *(_complaint(d, dept) for dept in d["to_departments"])])
def _complaint_transferred(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    department = _department_of(d)
    if department == d["department"]:
        return _close(old, d)
    base = old or d["_items"].get(_complaint(d, d["department"]))  # where it came from
    if base is None:
        return None
    return {**base, "departments": [department], "kind": "complaint_to_accept",
            "due": d["accept_due"], "since": d["transferred_on"], "open": True}


@on("ComplaintAccepted", key=lambda d: _complaint(d, d["department"]))
def _complaint_accepted(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    if old is None:
        return None
    return {**old, "kind": "complaint_to_reply", "due": d["reply_due"], "open": True}


on("ComplaintRefused", "ComplaintReplied",
   key=lambda d: _complaint(d, d["department"]))(_close)
on("ComplaintClosed",
   key=lambda d: [_complaint(d, dept) for dept in d["departments"]])(_close)


# -- risk alerts and the targeted inspections they open -------------------------------------
def _alert_key(d: dict[str, Any]) -> str:
    return f"alert:{d['alert_id']}"


@on("RiskAlertRaised", "RiskAlertEscalated", key=_alert_key)
def _alert(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    since = d.get("raised_on") or d.get("escalated_on") or d["_on"]
    base = old or _item("risk_alert", d["uscc"], d["alert_id"], list(d["departments"]), None,
                        since)
    return {**base, "departments": list(d["departments"]) or base["departments"],
            "level": d["level"], "reasons": [r["label"] for r in d.get("reasons", [])],
            "open": True}


on("RiskAlertResolved", key=_alert_key)(_close)


def _targeted_key(d: dict[str, Any]) -> str:
    return f"targeted:{d['inspection_id']}"


@on("TargetedInspectionOpened", key=_targeted_key)
def _targeted(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    return old or {**_item("targeted_to_inspect", d["uscc"], d["inspection_id"],
                           list(d["departments"]), d["due"], d["opened_on"]),
                   "reasons": list(d["reasons"]), "level": d["level"]}


@on("TargetedInspectionResultRecorded", key=_targeted_key)
def _targeted_recorded(old: Doc | None, d: dict[str, Any]) -> Doc | None:
    if old is None or not old.get("open"):
        return None
    return {**old, "kind": "targeted_to_publish"}


on("TargetedInspectionResultPublished", key=_targeted_key)(_close)
