"""Registry-only marshmallow fields and validators (phone, operator types, deferred items).

USCC, division code and bounded text are the kernel's: shared.http.fields.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

PHONE = validate.Regexp(r"^[0-9+\-() ]{5,20}$", error="须为 5–20 位的电话号码")
OPERATOR_TYPE_DOC = "public=公办, private_profit=民办营利, private_nonprofit=民办非营利, " \
                    "public_private=公建民营"


class Deferred(fields.Nested):
    """Documented as the nested schema, but loaded as-is: each item is validated later."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None,
                    **kwargs: Any) -> Any:
        return value
