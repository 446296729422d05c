"""Request and response schemas of the registration push and the registration state."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from registry.api.fields import Deferred
from registry.domain.model import ENTERPRISE_STATUSES, EnterpriseRecord
from shared.http.fields import DISTRICT, Bool, Uscc, text

MAX_BATCH = 1000
PUSH_OUTCOMES = ("created", "changed", "unchanged", "rejected", "conflict")


class EnterpriseRecordSchema(Schema):
    """One enterprise registration as pushed by market supervision."""

    uscc = Uscc(required=True, metadata={"description": "统一社会信用代码", "example":
                                         "91350100M000100Y43"})
    name = text()
    entity_type = text(100, metadata={"description": "企业类型，如 有限责任公司"})
    legal_representative = text(100)
    address = text(500)
    district_code = fields.String(required=True, validate=DISTRICT)
    business_scope = fields.String(required=True, validate=validate.Length(max=4000),
                                   metadata={"description": "含“养老服务”即视为养老经营范围"})
    established_date = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ENTERPRISE_STATUSES))

    @post_load
    def _record(self, data: dict[str, Any], **_: Any) -> EnterpriseRecord:
        return EnterpriseRecord(**data)


class RegistrationBatchSchema(Schema):
    """1..1000 records; each is validated on its own, a bad one does not sink the batch."""

    records = fields.List(Deferred(EnterpriseRecordSchema), required=True,
                          validate=validate.Length(min=1, max=MAX_BATCH))


class PushResultSchema(Schema):
    index = fields.Integer(required=True)
    uscc = fields.String(allow_none=True)
    outcome = fields.String(required=True, validate=validate.OneOf(PUSH_OUTCOMES))
    errors = fields.Dict(metadata={"description": "rejected only: field -> messages"})
    version = fields.Integer(allow_none=True, metadata={"description": "stream version after"})


class PushSummarySchema(Schema):
    created = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()
    conflict = fields.Integer()


class BatchResultSchema(Schema):
    results = fields.List(fields.Nested(PushResultSchema))
    summary = fields.Nested(PushSummarySchema)


class RegistrationStateSchema(Schema):
    record = fields.Nested(EnterpriseRecordSchema)
    elderly_care_scope = Bool(attribute="record.elderly_care_scope")
    first_received_on = fields.Date()
    last_received_on = fields.Date()
    scope_since = fields.Date(allow_none=True)

