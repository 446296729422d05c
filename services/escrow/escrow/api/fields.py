"""Escrow marshmallow fields: integer fen and bounded counts (USCC, text: shared.http.fields)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

MAX_FEN = 10**13  # 1,000 亿元: far above any real amount, below float trouble in clients


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
