"""What a leaf holds: a salted hash of the canonical record; records keep nothing private."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from translog.domain.leaves import DISCLOSURES, canonical, leaf_data, record_of

records = st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5)),
                          max_size=5)


@given(records, st.binary(min_size=16, max_size=16))
def test_the_leaf_depends_on_every_byte_of_record_and_salt(record, salt) -> None:
    leaf = leaf_data(salt, record)
    assert leaf == leaf_data(salt, dict(reversed(list(record.items()))))  # key order: none
    assert leaf != leaf_data(bytes([salt[0] ^ 1]) + salt[1:], record)
    assert leaf != leaf_data(salt, {**record, "extra": 1})
    assert canonical(record).decode("utf-8")  # UTF-8 JSON


def test_a_filing_record_keeps_no_contact_person_phone_or_representative() -> None:
    data = {"uscc": "91500103MA5U7XYK4F", "receipt_no": "R1", "filed_on": "2026-01-10",
            "filing": {"name": "康乐养老院", "district_code": "500103", "address": "民族路1号",
                       "operator_type": "private_profit", "beds": 60, "nursing_beds": 30,
                       "contact_name": "李明", "contact_phone": "02363001234",
                       "legal_representative": "王建国"}}
    rec = record_of("registry", "InstitutionFiled", "e1", data)
    text = canonical(rec).decode()
    assert "02363001234" not in text and "李明" not in text and "王建国" not in text
    assert rec["key"] == "filing:91500103MA5U7XYK4F" and "康乐养老院" in text


def test_listing_records_leave_out_responsible_persons() -> None:
    rec = record_of("credit", "SeriousDishonestyListed", "e2", {
        "uscc": "u", "listing_id": "L1", "responsible_persons": [{"name": "张三"}]})
    assert "responsible_persons" not in rec["data"]
    assert all(d.label for d in DISCLOSURES.values())


def test_a_major_hazard_is_logged_without_the_officials_who_determined_it() -> None:
    rec = record_of("fire_safety", "MajorHazardDetermined", "e3", {
        "hazard_id": "H-1", "inspection_id": "FI-1", "institution_uscc": "u",
        "institution_name": "某养老院", "method": "collective",
        "members": ["fire_rescue/f1", "fire_rescue/f2"], "agreeing": ["fire_rescue/f1"],
        "determined_on": "2026-11-20"})
    assert rec["key"] == "hazard:H-1" and rec["kind"] == "major_hazard"
    assert "members" not in rec["data"] and "agreeing" not in rec["data"]
    verified = record_of("fire_safety", "RectificationVerified", "e4", {"hazard_id": "H-1"})
    assert verified["key"] == "hazard-verified:H-1"


def test_every_draw_attempt_that_ends_opens_the_next_attempts_beacon_key() -> None:
    """A failed or voided attempt n is logged under draw-closed:<plan>:<n>, the key the
    inspection service names for attempt n + 1's public value."""
    for name in ("DrawAttemptFailed", "DrawVoided"):
        rec = record_of("inspection", name, "e5", {"plan_id": "2026-joint-1", "attempt": 2,
                                                   "reason": "r"})
        assert rec["key"] == "draw-closed:2026-joint-1:2"
