import pytest
from projection.domain.masking import mask_name, mask_phone


@pytest.mark.parametrize(("raw", "masked"), [
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"),
    ("023-68881234", "023****1234"),
    ("12345", "***45"),
    ("", ""),
])
def test_phone_keeps_only_prefix_and_last_four_digits(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("张三", "张*"),
    ("李小红", "李**"),
    ("欧阳娜娜", "欧阳**"),
    ("司马光", "司马*"),
    ("欧阳", "欧*"),
    ("王", "王"),
    ("  赵六 ", "赵*"),
])
def test_person_name_keeps_only_the_surname(raw, masked):
    assert mask_name(raw) == masked


def test_missing_values_stay_missing():
    assert mask_phone(None) is None
    assert mask_name(None) is None
