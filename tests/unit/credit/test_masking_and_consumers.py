"""Masking on input, and each source's events mapped to credit effects (redelivery harmless)."""

from __future__ import annotations

from credit import consumers
from credit.app.common import CREDIT_FILE, DISHONESTY, dishonesty_stream, file_stream, load
from credit.consumers import base, escrow, fire_safety, inspection, registry
from credit.consumers.runner import SourceHandler
from credit.domain.masking import id_hash, mask_id, mask_name

from tests.unit.credit.builders import envelope, make_uscc, overdue_major

U = make_uscc(4)


def test_names_and_id_numbers_are_masked_and_hashed_with_a_salt():
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧阳**"
    assert mask_id("500103199001011234") == "500*************34"
    assert id_hash("500103199001011234", "a") != id_hash("500103199001011234", "b")
    assert id_hash("50010319900101123x", "a") == id_hash("50010319900101123X", "a")


def test_every_source_with_published_contracts_is_found():
    assert {m.SOURCE for m in consumers.sources()} >= {"credit", "registry"}


def test_an_unfiled_operator_gets_a_record_keeping_the_source_event_id(ctx):
    env = envelope("registry", "UnfiledOperationSuspected", {
        "uscc": U, "name": "x", "district_code": "500103", "received_on": "2026-10-01",
        "grace_workdays": 20, "deadline": "2026-10-30", "detected_on": "2026-11-02"})
    handler = SourceHandler(ctx, registry)
    handler(env)
    handler(env)  # redelivered
    state, version = load(ctx, CREDIT_FILE, file_stream(U))
    assert version == 2 and list(state.source_events) == [env.id]
    assert state.records[f"registry:{env.id}"].category == "unfiled_operation"


def test_an_overdue_major_hazard_adds_a_record_and_proposes_listing_once(ctx):
    env = envelope("fire_safety", "RectificationOverdue", overdue_major(U))
    handler = SourceHandler(ctx, fire_safety)
    handler(env)
    handler(env)
    listing, version = load(ctx, DISHONESTY, dishonesty_stream(U))
    assert version == 1 and listing.current.status == "proposed"
    assert listing.current.ground == "major_fire_hazard_overdue"
    general = envelope("fire_safety", "RectificationOverdue", {**overdue_major(U, "hz-2"),
                                                               "level": "general"})
    assert len(fire_safety.map_event(general)) == 1


def test_inspection_results_count_only_when_problems_were_found():
    data = {"task_id": "t1", "plan_id": "p1", "uscc": U, "departments": ["civil_affairs"],
            "inspected_on": "2026-11-20", "item_outcomes": [
                {"item": "civil_affairs/a1", "outcome": "problem_found"}],
            "findings": "", "follow_up": "none", "problem_found": True,
            "recorded_on": "2026-11-20", "publish_deadline": "2026-12-18",
            "deadline_provisional": False}
    assert len(inspection.map_event(envelope("inspection", "InspectionResultRecorded", data))) == 1
    clean = {**data, "problem_found": False}
    assert inspection.map_event(envelope("inspection", "InspectionResultRecorded", clean)) == []


def test_escrow_shortfalls_rejected_deposits_and_overdue_refunds_become_records():
    shortfall = envelope("escrow", "EscrowShortfallDetected", {
        "institution_uscc": U, "shortfall_fen": 12_345_00, "detected_on": "2026-11-20"})
    refund = envelope("escrow", "RefundOverdue", {
        "institution_uscc": U, "days_overdue": 9, "detected_on": "2026-11-20"})
    rejected = envelope("escrow", "DepositRejected", {
        "institution_uscc": U, "excess_fen": 100, "declared_on": "2026-11-20"})
    cats = [escrow.map_event(e)[0].category for e in (shortfall, refund, rejected)]
    assert cats == ["escrow_shortfall", "refund_overdue", "deposit_rejected"]
    assert "resident" not in str(escrow.map_event(rejected)[0])


def test_a_foreign_service_event_on_a_shared_topic_is_ignored(ctx):
    env = envelope("escrow", "RefundOverdue", {"institution_uscc": U, "days_overdue": 1,
                                               "detected_on": "2026-11-20"})
    SourceHandler(ctx, registry)(env)
    assert load(ctx, CREDIT_FILE, file_stream(U))[1] == 0
    assert base.day(env, "missing").isoformat() == "2026-11-23"
