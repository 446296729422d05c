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
