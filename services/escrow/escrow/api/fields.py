"""Reusable marshmallow fields: USCC with check character, integer fen, bounded text."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate
from stdnum.cn import uscc as stdnum_uscc

USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MAX_FEN = 10**13  # 1,000 亿元: far above any real amount, below float trouble in clients


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("不能为空")


def text(max_length: int = 200, **kwargs: Any) -> fields.String:
    """A required, non-blank string of bounded length."""
    return fields.String(required=True, validate=[not_blank, validate.Length(max=max_length)],
                         **kwargs)


def uscc_value(raw: Any) -> str:
    """The USCC in canonical form or ValidationError (check character verified)."""
    if not isinstance(raw, str):
        raise ValidationError("Not a valid string.")
    value = stdnum_uscc.compact(raw)
    if not USCC_PATTERN.match(value):
        raise ValidationError("统一社会信用代码格式错误（18 位，GB 32100-2015）")
    if value[-1] != stdnum_uscc.calc_check_digit(value[:17]):
        raise ValidationError("统一社会信用代码校验码错误")
    return value


class Fen(fields.Integer):
    """Money in integer fen: JSON integers only (no floats, no strings, no booleans)."""

    def __init__(self, minimum: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault("description", "金额（分，整数）")
        super().__init__(strict=True, validate=validate.Range(min=minimum, max=MAX_FEN),
                         **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("金额须为整数（单位：分），不接受小数或字符串")
        return int(super()._deserialize(value, attr, data, **kwargs))


def count(minimum: int = 0, maximum: int = 10_000, **kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=minimum, max=maximum),
                          **kwargs)
