"""Credit-only marshmallow validators (identity numbers).

USCC, division code and bounded text are the kernel's: shared.http.fields.
"""

from __future__ import annotations

from marshmallow import validate

ID_NUMBER = validate.Regexp(r"^[0-9A-Za-z]{6,20}$", error="证件号码格式错误")
