"""Reusable marshmallow fields and validators (USCC, ids, user-id lists)."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate
from stdnum.cn import uscc as stdnum_uscc

# same pattern as the event contracts; only stdnum's check-digit calculation is used because
# its validate() rejects valid non-enterprise prefixes
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
                     error="1–40 位字母、数字、- 或 _，以字母或数字开头")
CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="小写字母开头，仅含小写字母、数字和 _")
USER_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$",
                          error="用户编号（不得填写姓名等个人信息）")


def not_blank(value: str) -> None:
    """Reject strings of whitespace only."""
    if not value.strip():
        raise ValidationError("不能为空")


def text(max_length: int = 200, required: bool = True, **kwargs: Any) -> fields.String:
    """A non-blank string of bounded length."""
    return fields.String(required=required, validate=[not_blank, validate.Length(max=max_length)],
                         **kwargs)


def notes(max_length: int = 2000, **kwargs: Any) -> fields.String:
    """Optional free text (evidence notes), empty allowed."""
    return fields.String(load_default="", validate=validate.Length(max=max_length), **kwargs)


def user_ids(minimum: int = 0, **kwargs: Any) -> fields.List:
    """A list of user ids (people are recorded by id, never by personal data)."""
    return fields.List(fields.String(validate=USER_ID), validate=validate.Length(max=50),
                       load_default=list, **kwargs)


def workdays(description: str) -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=365),
                          metadata={"description": description})


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
