"""Request and response schemas of filing (备案), its change, cancellation and state."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from registry.api.fields import OPERATOR_TYPE_DOC, PHONE
from registry.api.schemas import RegistrationStateSchema
from registry.domain.model import OPERATOR_TYPES, PREMISES_OWNERSHIP
from shared.http.fields import DISTRICT, Bool, text

MAX_BEDS = 100_000


def _beds(description: str) -> fields.Integer:
    return fields.Integer(required=True, strict=True,
                          validate=validate.Range(min=0, max=MAX_BEDS),
                          metadata={"description": description})


class FilingSchema(Schema):
    """Filed items (民政部令第66号): name, address, person in charge, premises, beds, area..."""

    name = text(metadata={"description": "机构名称"})
    address = text(500, metadata={"description": "服务场所地址"})
    district_code = fields.String(required=True, validate=DISTRICT)
    legal_representative = text(100, metadata={"description": "法定代表人或主要负责人"})
    operator_type = fields.String(required=True, validate=validate.OneOf(OPERATOR_TYPES),
                                  metadata={"description": OPERATOR_TYPE_DOC})
    premises_ownership = fields.String(
        required=True, validate=validate.OneOf(PREMISES_OWNERSHIP),
        metadata={"description": "owned=自有, leased=租赁, free_use=无偿使用, other=其他"})
    beds = _beds("床位数；≥10 张须在首次收住后 10 个工作日内备案")
    nursing_beds = _beds("护理型床位数（≤ 床位数）")
    floor_area_m2 = fields.Float(
        required=True, allow_nan=False,
        validate=validate.Range(min=0, min_inclusive=False, max=10_000_000),
        metadata={"description": "建筑面积（平方米，> 0）"})
    contact_name = text(100, metadata={"description": "联系人（机构工作人员）"})
    contact_phone = fields.String(required=True, validate=PHONE)
    first_admission_date = fields.Date(
        allow_none=True, load_default=None,
        metadata={"description": "首次收住老年人日期；尚未收住为 null；不得晚于今天"})


class FilingChangeSchema(FilingSchema):
    """Any subset of the filed items; omitted items stay as they are."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class CancellationSchema(Schema):
    reason = text(500, metadata={"description": "注销理由"})


class FilingStateSchema(Schema):
    status = fields.String(validate=validate.OneOf(("filed", "cancelled")))
    receipt_no = fields.String(metadata={"description": "备案回执编号"})
    details = fields.Nested(FilingSchema)
    filed_on = fields.Date()
    filing_required = Bool()
    filing_deadline = fields.Date(allow_none=True)
    late = Bool()
    late_by_workdays = fields.Integer()
    deadline_provisional = Bool(
        metadata={"description": "截止日按暂定节假日表计算（国务院通知尚未发布）"})
    changed_on = fields.Date(allow_none=True)
    cancelled_on = fields.Date(allow_none=True)
    cancel_reason = fields.String(allow_none=True)


class FilingResultSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    outcome = fields.String(validate=validate.OneOf(("filed", "changed", "cancelled",
                                                     "unchanged")))
    changed_fields = fields.List(fields.String())
    filing = fields.Nested(FilingStateSchema)


class InstitutionSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    registration = fields.Nested(RegistrationStateSchema, allow_none=True)
    filing = fields.Nested(FilingStateSchema, allow_none=True)
    unfiled_suspected_on = fields.Date(allow_none=True)


class UnfiledCheckResultSchema(Schema):
    as_of = fields.Date()
    checked = fields.Integer()
    flagged = fields.List(fields.String())
