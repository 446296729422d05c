"""Request and response schemas of the complaints API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from complaints.app.codes import ALPHABET
from complaints.domain.complaint import FINDINGS, RATINGS
from complaints.domain.rules import CATEGORIES
from shared.authority import DEPARTMENTS
from shared.http.fields import DISTRICT, Bool, Uscc, text

PHONE = validate.Regexp(r"^$|^[0-9+\-() ]{5,20}$", error="须为电话号码（5–20 位数字）")
TRACKING = validate.Regexp(rf"^\s*TS[{ALPHABET}]{{10}}\s*$",
                           error="投诉编号为 TS 开头的 12 位编号")
MAX_DESCRIPTION = 2000


class OptionalUscc(Uscc):
    """A USCC, or empty when the complainant does not know it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


class SubmissionSchema(Schema):
    """A complaint: the institution (USCC, or name and district when it has none known)."""

    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)),
                             metadata={"description": "类别：" + "、".join(
                                 f"{k}={v}" for k, v in CATEGORIES.items())})
    description = text(MAX_DESCRIPTION, metadata={"description": "投诉内容（加密保存）"})
    institution_uscc = OptionalUscc(load_default="",
                                    metadata={"description": "机构统一社会信用代码"})
    institution_name = fields.String(load_default="", validate=validate.Length(max=100))
    district = fields.String(load_default="", validate=DISTRICT,
                             metadata={"description": "无代码时：机构所在区县代码"})
    anonymous = Bool(load_default=True)
    contact_name = fields.String(load_default="", validate=validate.Length(max=50))
    contact_phone = fields.String(load_default="", validate=[PHONE])

    @validates_schema
    def _institution(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("institution_uscc"):
            errors = {}
            if not str(data.get("institution_name", "")).strip():
                errors["institution_name"] = ["须填写机构名称或统一社会信用代码"]
            if not data.get("district"):
                errors["district"] = ["没有统一社会信用代码时须选择机构所在区县"]
            if errors:
                raise ValidationError(errors)
        if not data.get("anonymous", True) and not str(data.get("contact_phone", "")).strip():
            raise ValidationError({"contact_phone": ["实名投诉须留联系电话"]})


class PublicSubmissionSchema(SubmissionSchema):
    altcha = fields.String(required=True, validate=validate.Length(max=2000),
                           metadata={"description": "工作量证明（公开页面自动计算）"})


class HotlineSubmissionSchema(SubmissionSchema):
    channel = fields.String(required=True, validate=validate.OneOf(
        ["hotline_12345", "hotline_12349"]))
    ticket = text(64, metadata={"description": "热线系统的工单号（同一工单只建一件投诉）"})


class CategorySchema(Schema):
    code = fields.String()
    label = fields.String()
    urgent = fields.Boolean(metadata={"description": "紧急类别：受理和答复期限更短"})


class ReceiptSchema(Schema):
    complaint_id = fields.String(metadata={"description": "投诉编号"})
    check_code = fields.String(metadata={"description": "查询码（只显示这一次，请妥善保存）"})
    received_on = fields.Date()
    accept_due = fields.Date(allow_none=True)
    departments = fields.List(fields.String())
    category = fields.String()


class CredentialsSchema(Schema):
    complaint_id = fields.String(required=True, validate=TRACKING)
    check_code = fields.String(required=True, validate=validate.Length(min=1, max=20))


class RatingSchema(CredentialsSchema):
    rating = fields.String(required=True, validate=validate.OneOf(list(RATINGS)))


class TrackSchema(Schema):
    department = fields.String()
    department_label = fields.String()
    stage = fields.String()
    accept_due = fields.Date(allow_none=True)
    reply_due = fields.Date(allow_none=True)
    finding = fields.String()
    refusal = fields.String()
    transferred_to = fields.List(fields.String())
    replied_on = fields.Date(allow_none=True)
    reply = fields.String(allow_none=True)


class StatusSchema(Schema):
    complaint_id = fields.String()
    category = fields.String()
    category_label = fields.String(metadata={"description": "类别名称"})
    institution_name = fields.String()
    institution_uscc = fields.String()
    received_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    outcome = fields.String()
    merged_into = fields.String()
    rating = fields.String()
    erased = fields.Boolean()
    tracks = fields.List(fields.Nested(TrackSchema))


class FindingViewSchema(Schema):
    department = fields.String()
    summary = fields.String(allow_none=True)


class OfficialViewSchema(StatusSchema):
    version = fields.Integer()
    channel = fields.String()
    district = fields.String()
    anonymous = fields.Boolean()
    has_contact = fields.Boolean()
    description = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    findings = fields.List(fields.Nested(FindingViewSchema))


class ResultTrackSchema(Schema):
    department = fields.String()
    stage = fields.String()
    accept_due = fields.Date(allow_none=True)
    reply_due = fields.Date(allow_none=True)


class ResultSchema(Schema):
    complaint_id = fields.String()
    version = fields.Integer()
    events = fields.List(fields.String())
    closed_on = fields.Date(allow_none=True)
    outcome = fields.String()
    tracks = fields.List(fields.Nested(ResultTrackSchema))


class EmptySchema(Schema):
    pass


class ReasonSchema(Schema):
    reason = text(500)


class TransferSchema(ReasonSchema):
    to_departments = fields.List(fields.String(validate=validate.OneOf(DEPARTMENTS)),
                                 required=True, validate=validate.Length(min=1, max=8))


class InvestigationSchema(Schema):
    finding = fields.String(required=True, validate=validate.OneOf(list(FINDINGS)))
    summary = text(MAX_DESCRIPTION, metadata={"description": "调查情况（加密保存）"})


class ReplySchema(Schema):
    reply = text(MAX_DESCRIPTION, metadata={"description": "答复投诉人的内容（加密保存）"})


class MergeSchema(Schema):
    into = fields.String(required=True, validate=TRACKING,
                         metadata={"description": "合并到的投诉编号（同一机构、仍在办理）"})
