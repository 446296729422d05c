"""Request and response schemas of the credit API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from credit.api.fields import ID_NUMBER
from credit.domain.listing import GROUNDS
from credit.domain.penalty import CHANGES, SANCTION_KINDS
from shared.http.fields import DISTRICT, Bool, Uscc, text

MAX_FEN = 10**13


class PartySchema(Schema):
    """当事人：单位（统一社会信用代码）或自然人（录入即脱敏，不保存完整证件号）。"""

    kind = fields.String(required=True, validate=validate.OneOf(("organisation", "person")))
    uscc = Uscc(load_default=None, allow_none=True)
    name = text(200, metadata={"description": "单位名称或自然人姓名（自然人仅保存脱敏姓名）"})
    id_number = fields.String(load_default=None, allow_none=True, validate=ID_NUMBER,
                              load_only=True,
                              metadata={"description": "自然人证件号（仅保存脱敏号与加盐哈希）"})

    @validates_schema
    def _by_kind(self, data: dict[str, Any], **_: Any) -> None:
        if data["kind"] == "organisation" and not data.get("uscc"):
            raise ValidationError("单位当事人须填写统一社会信用代码", "uscc")
        if data["kind"] == "person" and data.get("uscc"):
            raise ValidationError("自然人当事人不填统一社会信用代码", "uscc")


class SanctionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SANCTION_KINDS),
                         metadata={"description": "warning=警告, public_criticism=通报批评, "
                                   "fine=罚款, confiscation=没收, suspension=责令停产停业, "
                                   "licence_revocation=吊销许可证件, employment_ban=从业禁止"})
    amount_fen = fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(min=1, max=MAX_FEN))
    months = fields.Integer(load_default=None, allow_none=True, strict=True,
                            validate=validate.Range(min=1, max=1200))


class PenaltySchema(Schema):
    """行政处罚决定（谁办案、谁录入、谁负责）。"""

    decision_no = text(100, metadata={"description": "行政处罚决定书文号",
                                      "example": "渝中民罚〔2026〕1号"})
    party = fields.Nested(PartySchema, required=True)
    violation_type = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z][a-z0-9_]{0,49}$", error="须为小写字母、数字、下划线组成的违法类型代码"))
    legal_basis = text(500)
    sanctions = fields.List(fields.Nested(SanctionSchema), required=True,
                            validate=validate.Length(min=1, max=10))
    authority = text(200, metadata={"description": "作出决定的机关"})
    district_code = fields.String(required=True, validate=DISTRICT)
    decided_on = fields.Date(required=True)
    summary = fields.String(load_default="", validate=validate.Length(max=2000))


class WithdrawalSchema(Schema):
    change = fields.String(required=True, validate=validate.OneOf(CHANGES),
                           metadata={"description": "changed=变更, revoked=撤销, voided=确认无效"})
    reason = text(500)
    revoked_on = fields.Date(required=True, metadata={"description": "决定被变更/撤销之日"})


class EarlyEndSchema(Schema):
    """申请提前停止公示：另两项条件（无同类违法、未列入名单）由系统核对。"""

    obligations_met = Bool(required=True,
                                     metadata={"description": "已履行行政处罚决定"})
    harm_removed = Bool(required=True,
                                  metadata={"description": "已消除危害后果和不良影响"})


class PenaltyOutSchema(Schema):
    penalty_id = fields.String()
    version = fields.Integer()
    outcome = fields.String()
    decided = fields.Dict()
    published_on = fields.Date(allow_none=True)
    display_until = fields.Date(allow_none=True)
    overdue_flagged = Bool()
    withdrawn_on = fields.Date(allow_none=True)
    ended_early_on = fields.Date(allow_none=True)
    on_display = Bool()


class PersonSchema(Schema):
    name = text(50, metadata={"description": "责任人姓名（仅保存脱敏姓名）"})
    id_number = fields.String(load_default=None, allow_none=True, validate=ID_NUMBER)
    role = fields.String(load_default="", validate=validate.Length(max=50),
                         metadata={"description": "如 法定代表人、主要负责人"})


class ProposalSchema(Schema):
    institution_name = text(200)
    ground = fields.String(required=True, validate=validate.OneOf(GROUNDS))
    ground_detail = text(2000)
    responsible_persons = fields.List(fields.Nested(PersonSchema), load_default=list,
                                      validate=validate.Length(max=20))


class DecisionSchema(Schema):
    approve = Bool(required=True)
    decision_no = text(100)
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ExecutionSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000),
                         metadata={"description": "执行情况说明"})


class RemovalSchema(Schema):
    decision_no = text(100)
    no_new_serious_dishonesty = Bool(required=True)
    obligations_fulfilled = Bool(required=True)


class RepairSchema(Schema):
    approved = Bool(required=True)
    decision_no = text(100)
    reason = text(2000)


class CorrectionSchema(Schema):
    """更正决定：列入本身有误（事实认定或适用依据错误），不同于期满或修复后的移出。"""

    decision_no = text(100, metadata={"description": "更正决定文号"})
    reason = text(2000, metadata={"description": "列入有误的理由"})


class DishonestyOutSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    listing = fields.Dict(allow_none=True)


class CheckReportSchema(Schema):
    as_of = fields.Date()
    overdue_disclosures = fields.List(fields.String())
    expired_listings = fields.List(fields.String())
    overdue_measures = fields.List(fields.String())
    level_changes = fields.List(fields.String())
