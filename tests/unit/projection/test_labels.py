from projection.domain import labels


def test_operator_types_have_chinese_labels():
    assert [labels.OPERATOR_TYPES[c] for c in
            ("public", "private_profit", "private_nonprofit", "public_private")] == [
        "公办", "民办营利", "民办非营利", "公建民营"]


def test_chongqing_districts_are_named_and_unknown_codes_fall_back_to_the_code():
    assert labels.district_name("500101") == "万州区"
    assert labels.district_name("500120") == "璧山区"
    assert all(f"5001{n:02d}" in labels.DISTRICTS for n in range(1, 21))
    assert labels.district_name("110101") == "110101"
    assert labels.district_name(None) is None


def test_changed_fields_read_as_chinese_names_once_each():
    assert labels.field_names(["beds", "contact_phone", "record.beds"]) == "床位数、联系电话"
    assert labels.field_names(["unknown_field"]) == "unknown_field"
