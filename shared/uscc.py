"""统一社会信用代码 (GB 32100-2015): canonical form and check character (no framework code).

The pattern is the one the event contracts use. Only python-stdnum's check-character
calculation is used: its validate() is stricter on the first two characters (digits only)
and so rejects valid non-enterprise registration-authority prefixes.
"""

from __future__ import annotations

import re

from stdnum.cn import uscc as stdnum_uscc

PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
FORMAT_ERROR = "统一社会信用代码格式错误（18 位，GB 32100-2015）"
CHECK_ERROR = "统一社会信用代码校验码错误"


class InvalidUscc(ValueError):
    """Not a USCC; the message (Chinese) says whether the format or the check character fails."""


def canonical(raw: str) -> str:
    """The USCC in canonical form (upper case, no separators) or InvalidUscc."""
    value = stdnum_uscc.compact(raw)
    if not PATTERN.match(value):
        raise InvalidUscc(FORMAT_ERROR)
    if value[-1] != stdnum_uscc.calc_check_digit(value[:17]):
        raise InvalidUscc(CHECK_ERROR)
    return value
