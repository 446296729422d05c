"""Value objects shared by the domain: money and pseudonymous ids."""

from __future__ import annotations

import re

KINDS = ("deposit", "prepayment", "membership_fee")
KIND_LABELS = {"deposit": "押金", "prepayment": "预收服务费", "membership_fee": "会员费"}
RESIDENT_REF = re.compile(r"^R-[0-9A-Za-z]{4,32}$")
CONTRACT_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$")
# what a real identity looks like inside an otherwise valid pseudonym: refuse it
_ID_CARD = re.compile(r"^([0-9]{17}[0-9Xx]|[0-9]{15})$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def resident_ref_errors(ref: str) -> list[str]:
    """Why ``ref`` is not an acceptable pseudonymous resident id (empty when it is)."""
    if not RESIDENT_REF.match(ref):
        return ["须为假名化编号：R- 加 4–32 位字母或数字，例如 R-7f3a9c"]
    body = ref[2:]
    if _ID_CARD.match(body) or _MOBILE.match(body):
        return ["不得使用身份证号或手机号作为老人编号，请使用假名化编号"]
    return []


def yuan(fen: int) -> str:
    """Fen shown as yuan with two decimals, computed on integers (no float rounding)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d} 元"
