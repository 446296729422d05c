"""Marshmallow fields and validators shared by the services' schemas (formats, not rules)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from shared import uscc

DISTRICT = validate.Regexp(r"^[0-9]{6}$", error="须为 6 位数字的行政区划代码")


def not_blank(value: str) -> None:
    """Reject strings of whitespace only."""
    if not value.strip():
        raise ValidationError("不能为空")


def text(max_length: int = 200, required: bool = True, **kwargs: Any) -> fields.String:
    """A non-blank string of bounded length (required unless told)."""
    return fields.String(required=required, validate=[not_blank, validate.Length(max=max_length)],
                         **kwargs)


def uscc_value(raw: Any) -> str:
    """The USCC in canonical form (upper case, no separators) or ValidationError."""
    if not isinstance(raw, str):
        raise ValidationError("Not a valid string.")
    try:
        return uscc.canonical(raw)
    except uscc.InvalidUscc as exc:
        raise ValidationError(str(exc)) from exc


class Uscc(fields.String):
    """统一社会信用代码 with its check character verified."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return uscc_value(value)


class Bool(fields.Boolean):
    """A JSON boolean on the way out, whatever the store handed back.

    The embedded MongoDB stand-in stores a boolean written by a top-level ``$set`` as 0/1
    (ADR 0004), and marshmallow 4's Boolean serializes values as they are; every response
    schema uses this field so what the OpenAPI document calls boolean is one.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> bool | None:
        return None if value is None else bool(value)
