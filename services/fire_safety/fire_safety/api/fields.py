"""Fire-safety marshmallow fields and validators (ids, codes, user-id lists, workdays).

USCC and bounded text are the kernel's: shared.http.fields.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
                     error="1–40 位字母、数字、- 或 _，以字母或数字开头")
CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="小写字母开头，仅含小写字母、数字和 _")
USER_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$",
                          error="用户编号（不得填写姓名等个人信息）")


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
