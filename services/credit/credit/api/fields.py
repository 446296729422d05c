"""Reusable marshmallow fields and validators (USCC, division code, text)."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate
from stdnum.cn import uscc as stdnum_uscc

USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
DISTRICT = validate.Regexp(r"^[0-9]{6}$", error="须为 6 位数字的行政区划代码")
ID_NUMBER = validate.Regexp(r"^[0-9A-Za-z]{6,20}$", error="证件号码格式错误")


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("不能为空")


def text(max_length: int = 200, required: bool = True, **kwargs: Any) -> fields.String:
    """A non-blank string of bounded length."""
    return fields.String(required=required, validate=[not_blank, validate.Length(max=max_length)],
                         **kwargs)


def uscc_value(raw: Any) -> str:
    """The USCC in canonical form (upper case, no separators) or ValidationError."""
    if not isinstance(raw, str):
        raise ValidationError("Not a valid string.")
    value = stdnum_uscc.compact(raw)
    if not USCC_PATTERN.match(value):
        raise ValidationError("统一社会信用代码格式错误（18 位，GB 32100-2015）")
    if value[-1] != stdnum_uscc.calc_check_digit(value[:17]):
        raise ValidationError("统一社会信用代码校验码错误")
    return value


class Uscc(fields.String):
    """统一社会信用代码 with its check character verified."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return uscc_value(value)
