"""Request and response schemas of the escrow API (money always integer fen)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from escrow.api.fields import Fen, count
from escrow.domain.model import KINDS
from escrow.domain.policy import BASES, RESERVE_KINDS
from shared.http.fields import Bool, text

PERIOD = validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="须为 YYYY-MM")


class TermsSchema(Schema):
    """The numbers of one policy version."""

    deposit_cap_multiple = count(0, 120, required=True,  # the ceiling is checked by the rule
                                 metadata={"description": "押金上限倍数（国家上限 12）"})
    deposit_cap_base = fields.String(required=True, validate=validate.OneOf(BASES),
                                     metadata={"description": "倍数的基数：月服务费或月床位费"})
    prepaid_cap_months = count(0, 120, required=True,
                               metadata={"description": "预收服务费上限（月数，国家上限 12）"})
    membership_allowed = Bool(required=True)
    membership_cap_multiple = count(0, 120, allow_none=True, load_default=None,
                                    metadata={"description": "会员费上限 = 倍数 × 月服务费"})
    refund_deadline_days = count(0, 3650, required=True,
                                 metadata={"description": "合同终止后退款期限（天）"})
    reserve_kind = fields.String(required=True, validate=validate.OneOf(RESERVE_KINDS),
                                 metadata={"description": "风险保证金：固定金额或比例"})
    reserve_amount_fen = Fen(load_default=0)
    reserve_basis_points = count(0, 10_000, load_default=0,
                                 metadata={"description": "应付余额的万分比（500 = 5%）"})
    basis = text(500, metadata={"description": "规则依据（文号）"})


class PolicyRequestSchema(TermsSchema):
    effective_from = fields.Date(required=True, metadata={"description": "生效日期（不早于今天）"})


class PolicyVersionSchema(Schema):
    jurisdiction = fields.String()
    version = fields.Integer(metadata={"description": "0 = 内置默认"})
    effective_from = fields.Date()
    terms = fields.Nested(TermsSchema)


class PolicyListSchema(Schema):
    jurisdiction = fields.String()
    versions = fields.List(fields.Nested(PolicyVersionSchema))
    in_force_today = fields.Nested(PolicyVersionSchema, allow_none=True)


class PublishResultSchema(Schema):
    jurisdiction = fields.String()
    outcome = fields.String(validate=validate.OneOf(("published", "unchanged")))
    version = fields.Nested(PolicyVersionSchema)


class OpenAccountSchema(Schema):
    jurisdiction = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{2,40}$"),
                                 metadata={"description": "national / chongqing / beijing …"})
    bank = text(100, metadata={"description": "存管银行"})
    account_number = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9 -]{8,40}$", error="须为 8–32 位数字的银行账号"), load_only=True,
        metadata={"description": "只用于生成掩码，不存储完整账号"})
    custody_agreement_id = text(100, metadata={"description": "三方存管协议编号"})


class CloseAccountSchema(Schema):
    reason = text(500)


class ContractRequestSchema(Schema):
    contract_id = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$"))
    resident_ref = fields.String(required=True, metadata={
        "description": "假名化老人编号：R- 加 4–32 位字母或数字；不得为姓名、身份证号或手机号",
        "example": "R-7f3a9c"})
    monthly_service_fee_fen = Fen(1, required=True)
    monthly_bed_fee_fen = Fen(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, load_default=None)


class DeclarationSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    receipt_no = text(64, metadata={"description": "机构收据号：同一收据重复提交只记一次"})
    amount_fen = Fen(1, required=True)


class DrawSchema(Schema):
    period = fields.String(required=True, validate=PERIOD)
    amount_fen = Fen(1, required=True)


class EndSchema(Schema):
    ended_on = fields.Date(required=True)


class RefundSchema(Schema):
    reference = text(64, metadata={"description": "退款凭证号：同一凭证重复提交只记一次"})
    amount_fen = Fen(1, required=True)
    paid_on = fields.Date(required=True)


class ReconcileSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=500),
                         metadata={"description": "处理情况说明（缺口补足时记入）"})


class TotalsSchema(Schema):
    balance_fen = fields.Integer()
    liabilities_fen = fields.Integer(metadata={"description": "应付老人款项合计"})
    reserve_fen = fields.Integer()
    required_fen = fields.Integer()
    shortfall_fen = fields.Integer()


class AccountSchema(Schema):
    status = fields.String()
    jurisdiction = fields.String()
    bank = fields.String()
    account_masked = fields.String()
    custody_agreement_id = fields.String()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)


class ShortfallSchema(Schema):
    shortfall_id = fields.String()
    detected_on = fields.Date()
    shortfall_fen = fields.Integer()


class EscrowSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    account = fields.Nested(AccountSchema, allow_none=True)
    policy_today = fields.Nested(PolicyVersionSchema, allow_none=True)
    totals = fields.Nested(TotalsSchema)
    open_shortfall = fields.Nested(ShortfallSchema, allow_none=True)
    contracts = fields.Integer()
    overdue_refunds = fields.List(fields.String())


class ContractStateSchema(Schema):
    contract_id = fields.String()
    resident_ref = fields.String()
    monthly_service_fee_fen = fields.Integer()
    monthly_bed_fee_fen = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    policy = fields.Dict()
    held = fields.Dict(keys=fields.String(), values=fields.Integer())
    drawn_fen = fields.Integer()
    refunded_fen = fields.Integer()
    owed_fen = fields.Integer()
    caps = fields.Dict(keys=fields.String(), values=fields.Integer())
    ended_on = fields.Date(allow_none=True)
    refund_due_fen = fields.Integer()
    refund_due_by = fields.Date(allow_none=True)
    refund_remaining_fen = fields.Integer()
    overdue = Bool()


class CommandResultSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    outcome = fields.String(validate=validate.OneOf(("recorded", "unchanged")))
    events = fields.List(fields.String(), metadata={"description": "本次记录的事件"})
    totals = fields.Nested(TotalsSchema)
    contract = fields.Nested(ContractStateSchema, allow_none=True)


class ImportResultSchema(CommandResultSchema):
    imported = fields.Integer()
    statement_id = fields.String()


class OverdueCheckResultSchema(Schema):
    as_of = fields.Date()
    checked = fields.Integer()
    flagged = fields.List(fields.String())
