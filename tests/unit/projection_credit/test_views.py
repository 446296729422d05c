"""Pure read-model mapping of the credit feature: what the public may see, measure states."""

from __future__ import annotations

from projection.features.credit import views


def test_a_penalty_is_visible_only_while_published_and_within_its_period():
    p = {"published_on": "2026-11-23", "display_until": "2027-02-23", "withdrawn_on": None,
         "ended_early_on": None}
    assert views.on_display(p, "2027-02-23") and not views.on_display(p, "2027-02-24")
    assert not views.on_display({**p, "withdrawn_on": "2026-12-01"}, "2026-12-02")
    assert not views.on_display({**p, "ended_early_on": "2026-12-01"}, "2026-12-02")
    assert not views.on_display({**p, "published_on": None}, "2026-12-02")


def test_measure_states():
    m = {"due_by": "2026-12-07", "executed_on": None, "lifted_on": None, "overdue": 0}
    assert views.measure_state(m, "2026-12-07") == "pending"
    assert views.measure_state(m, "2026-12-08") == "overdue"
    assert views.measure_state({**m, "executed_on": "2026-12-09"}, "2026-12-10") == "executed"
    assert views.measure_state({**m, "lifted_on": "2026-12-09"}, "2026-12-10") == "lifted"


def test_sanctions_read_in_chinese_with_yuan_and_months():
    assert views.sanction_text({"kind": "fine", "amount_fen": 3_000_000}) == "罚款 30,000.00 元"
    assert views.sanction_text({"kind": "employment_ban", "months": 60}) == "从业禁止 60 个月"


def test_responsible_persons_lose_their_id_hash_in_the_read_model():
    fields = views.fields_for("SeriousDishonestyListed", {
        "decision_no": "d", "decided_on": "2026-11-23", "listed_until": "2029-11-23",
        "removal_allowed_from": "2028-11-23", "responsible_persons": [
            {"name_masked": "张*", "id_masked": "500***34", "id_hash": "abc", "role": "法人"}]})
    assert fields["persons"] == [{"name_masked": "张*", "id_masked": "500***34", "role": "法人"}]


def test_a_corrected_listing_is_no_longer_listed_in_the_read_model():
    fields = views.fields_for("ListingCorrected", {
        "uscc": "x", "listing_id": "x-1", "decision_no": "更1号", "reason": "有误",
        "department": "civil_affairs", "corrected_on": "2026-11-26", "was_listed": True})
    assert fields["status"] == "corrected" and "reason" not in fields
    assert views.STATUSES["corrected"]
