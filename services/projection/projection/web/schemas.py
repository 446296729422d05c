"""Response schemas of the open data and the API (documented in OpenAPI)."""

from __future__ import annotations

from marshmallow import Schema, fields

from shared.http.fields import Bool

DATE = {"format": "date"}
UTC_TIME = {"description": "UTC 时间", "format": "date-time"}


class HistoryItemSchema(Schema):
    type = fields.String(metadata={"description": "事件类型"})
    title = fields.String(metadata={"description": "事件名称"})
    time = fields.String(metadata=UTC_TIME)
    version = fields.Integer(metadata={"description": "公开变更记录序号"})
    summary = fields.String(metadata={"description": "变更摘要"})


class InstitutionSummarySchema(Schema):
    """One row of the directory."""

    uscc = fields.String(metadata={"description": "统一社会信用代码"})
    name = fields.String(allow_none=True, metadata={"description": "机构名称"})
    district_code = fields.String(allow_none=True)
    district_name = fields.String(allow_none=True, metadata={"description": "所在区县"})
    address = fields.String(allow_none=True)
    operator_type = fields.String(allow_none=True)
    operator_type_label = fields.String(allow_none=True, metadata={"description": "经营性质"})
    beds = fields.Integer(allow_none=True, metadata={"description": "床位数"})
    nursing_beds = fields.Integer(allow_none=True, metadata={"description": "护理型床位数"})
    legal_representative = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True, metadata={"description": "联系电话（已脱敏）"})
    filing_status = fields.String(metadata={"description": "unfiled / filed / cancelled"})
    filing_status_label = fields.String()
    receipt_no = fields.String(allow_none=True, metadata={"description": "备案回执号"})
    filed_on = fields.String(allow_none=True, metadata=DATE)
    updated_at = fields.String(allow_none=True, metadata=UTC_TIME)


class InstitutionDetailSchema(InstitutionSummarySchema):
    """Everything the public may see about one institution."""

    floor_area_m2 = fields.Float(allow_none=True)
    premises_ownership = fields.String(allow_none=True)
    premises_ownership_label = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True, metadata={"description": "联系人（已脱敏）"})
    first_admission_date = fields.String(allow_none=True, metadata=DATE)
    late = Bool(metadata={"description": "是否逾期备案"})
    late_by_workdays = fields.Integer(allow_none=True)
    cancelled_on = fields.String(allow_none=True, metadata=DATE)
    cancel_reason = fields.String(allow_none=True)
    enterprise_name = fields.String(allow_none=True)
    entity_type = fields.String(allow_none=True)
    enterprise_legal_representative = fields.String(allow_none=True)
    registered_address = fields.String(allow_none=True)
    registered_district_code = fields.String(allow_none=True)
    business_scope = fields.String(allow_none=True)
    established_date = fields.String(allow_none=True, metadata=DATE)
    enterprise_status = fields.String(allow_none=True)
    enterprise_status_label = fields.String(allow_none=True)
    elderly_care_scope = Bool(allow_none=True, metadata={"description": "经营范围含养老服务"})
    version = fields.Integer(attribute="public_version",
                             metadata={"description": "公开信息版本（已公开的变更记录条数）"})
    as_of = fields.Date(allow_none=True, metadata={"description": "时间回溯日期（如有）"})
    history = fields.List(fields.Nested(HistoryItemSchema))


class InstitutionPageSchema(Schema):
    """One page of the directory."""

    total = fields.Integer(metadata={"description": "符合条件的机构总数"})
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()
    items = fields.List(fields.Nested(InstitutionSummarySchema))
