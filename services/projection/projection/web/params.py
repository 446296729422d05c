"""Query-string schemas shared by pages, open data and the API (Chinese error messages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from projection.domain.directory import PER_PAGE, STATUS_CHOICES, DirectoryQuery
from projection.domain.labels import OPERATOR_TYPES

INT_ERRORS = {"invalid": "须为整数"}


class FilterArgs(Schema):
    """Filters of the directory."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default=None,
                      validate=validate.Length(max=50, error="名称关键词最长 50 字"),
                      metadata={"description": "机构名称关键词（部分匹配）"})
    district = fields.String(load_default=None,
                             validate=validate.Regexp(r"^[0-9]{6}$", error="区县代码须为 6 位数字"),
                             metadata={"description": "区县行政区划代码，如 500103"})
    operator_type = fields.String(
        load_default=None, metadata={"description": "经营性质：" + "、".join(OPERATOR_TYPES)},
        validate=validate.OneOf(list(OPERATOR_TYPES), error="经营性质须为 {choices} 之一"))
    status = fields.String(
        load_default="filed", metadata={"description": "备案状态：filed、cancelled、all"},
        validate=validate.OneOf(list(STATUS_CHOICES), error="备案状态须为 {choices} 之一"))

    @pre_load
    def _drop_blanks(self, data: Any, **_: Any) -> dict[str, Any]:
        # an empty form field means "any", not an invalid value
        cleaned = {k: data[k] for k in data}
        return {k: v.strip() if isinstance(v, str) else v for k, v in cleaned.items()
                if not (isinstance(v, str) and not v.strip())}


class PageArgs(FilterArgs):
    """Filters plus paging."""

    page = fields.Integer(load_default=1, error_messages=INT_ERRORS,
                          validate=validate.Range(min=1, max=100_000, error="页码须为正整数"),
                          metadata={"description": "页码，从 1 开始"})
    per_page = fields.Integer(load_default=PER_PAGE, error_messages=INT_ERRORS,
                              validate=validate.Range(min=1, max=100, error="每页条数须为 1–100"),
                              metadata={"description": "每页条数（默认 20）"})


# Time travel accepts 1900-01-01 to 2099-12-31: a day after today shows the current state; an
# absurd date (9999-12-31, year 1) is a 422 naming the field, never an overflow (500) further in.
EARLIEST_AS_OF, LATEST_AS_OF = date(1900, 1, 1), date(2099, 12, 31)


def _plausible_day(day: date) -> None:
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ValidationError(f"日期须在 {EARLIEST_AS_OF.isoformat()} 至 "
                              f"{LATEST_AS_OF.isoformat()} 之间")


class AsOfArgs(Schema):
    """Time travel: the state at the end of a past day."""

    class Meta:
        unknown = EXCLUDE

    as_of = fields.Date(load_default=None, error_messages={"invalid": "日期格式须为 YYYY-MM-DD"},
                        validate=_plausible_day,
                        metadata={"description": "查看该日（北京时间）日终时的信息"
                                                 "（1900-01-01 至 2099-12-31）"})

    @pre_load
    def _drop_blank(self, data: Any, **_: Any) -> dict[str, Any]:
        return {k: data[k] for k in data if not (k == "as_of" and not str(data[k]).strip())}


def directory_query(args: dict[str, Any]) -> DirectoryQuery:
    """The domain query from loaded arguments."""
    return DirectoryQuery(q=args.get("q"), district=args.get("district"),
                          operator_type=args.get("operator_type"),
                          status=args.get("status", "filed"))


def load_or_errors(schema: Schema, raw: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """Loaded arguments, or the field errors of invalid ones."""
    try:
        return schema.load(raw), {}
    except ValidationError as exc:
        return {}, dict(exc.normalized_messages())
