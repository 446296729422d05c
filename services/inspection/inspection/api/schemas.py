"""Request and response schemas (marshmallow); loads build plain dicts for the handlers."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from inspection.domain.model import (
    CREDIT_LEVELS,
    DEPARTMENTS,
    FOLLOW_UPS,
    METHODS,
    OPERATOR_TYPES,
    OUTCOMES,
    RISK_CLASSES,
    percent_to_bp,
)
from inspection.domain.plan import REQUESTERS, default_ends_on
from shared import uscc
from shared.http.fields import DISTRICT, Bool

# format only (declared conflicts are compared as given, no check character): see shared.uscc
USCC = validate.Regexp(uscc.PATTERN, error=uscc.FORMAT_ERROR)
CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
                       error="须为 1–40 位字母、数字、- 或 _")


def text(max_length: int = 200, **kwargs: Any) -> fields.String:
    """A required, non-blank string of bounded length."""
    return fields.String(required=True, validate=[validate.Length(min=1, max=max_length),
                                                   validate.Regexp(r"\S", error="不能为空")],
                         **kwargs)


def unique(values: list[Any]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("不能重复")


class ItemSchema(Schema):
    """One inspection item (抽查事项) of the department's list."""

    item_id = fields.String(required=True, validate=CODE)
    name = text(metadata={"description": "抽查事项"})
    legal_basis = text(1000, metadata={"description": "检查依据（法律法规条款）"})
    method = fields.String(required=True, validate=validate.OneOf(METHODS),
                           metadata={"description": "检查方式"})


class ItemOutSchema(ItemSchema):
    department = fields.String()
    ref = fields.String(metadata={"description": "计划中引用该事项的编号 <部门>/<事项编号>"})
    revision = fields.Integer()


class InspectorSchema(Schema):
    """An enforcement officer: staff code, region, certificate, status, conflicts."""

    inspector_id = fields.String(required=True, validate=CODE,
                                 metadata={"description": "执法人员编号（非个人信息）"})
    region = fields.String(required=True, validate=DISTRICT)
    certificate_no = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9-]{4,40}$", error="须为 4–40 位字母、数字或 -"),
        metadata={"description": "执法证号（公开时脱敏）"})
    active = Bool(load_default=True)
    conflicts = fields.List(fields.String(validate=USCC), load_default=list,
                            validate=unique, metadata={"description": "申报回避的机构代码"})


class InspectorChangeSchema(InspectorSchema):
    """Any of region, certificate, active, conflicts."""

    class Meta:
        exclude = ("inspector_id",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class InspectorOutSchema(InspectorSchema):
    department = fields.String()
    key = fields.String()


class RiskRatiosSchema(Schema):
    """Sampling ratio in percent per risk class (the risk service's), each in (0, 100]."""

    low = fields.Float(required=True, validate=validate.Range(min=0, max=100,
                                                              min_inclusive=False))
    medium = fields.Float(required=True, validate=validate.Range(min=0, max=100,
                                                                 min_inclusive=False))
    high = fields.Float(required=True, validate=validate.Range(min=0, max=100,
                                                               min_inclusive=False))
    critical = fields.Float(required=True, validate=validate.Range(min=0, max=100,
                                                                   min_inclusive=False))


class RatiosSchema(Schema):
    """Sampling ratio in percent per credit level, each in (0, 100]."""

    A = fields.Float(required=True, validate=validate.Range(min=0, max=100, min_inclusive=False))
    B = fields.Float(required=True, validate=validate.Range(min=0, max=100, min_inclusive=False))
    C = fields.Float(required=True, validate=validate.Range(min=0, max=100, min_inclusive=False))
    D = fields.Float(required=True, validate=validate.Range(min=0, max=100, min_inclusive=False))


class PlanCreateSchema(Schema):
    """A plan names year, batch, departments (one, or several for a joint plan), scope..."""

    series = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9-]{0,39}$", error="须为 1–40 位小写字母、数字或 -"),
        metadata={"description": "计划系列；同系列同年度前批次已抽中的机构默认排除"})
    year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    batch = fields.Integer(required=True, strict=True, validate=validate.Range(1, 99))
    title = text()
    departments = fields.List(fields.String(validate=validate.OneOf(DEPARTMENTS)),
                              required=True, validate=[validate.Length(min=1), unique])
    districts = fields.List(fields.String(validate=DISTRICT), load_default=list,
                            validate=unique, metadata={"description": "空 = 全部区县"})
    operator_types = fields.List(fields.String(validate=validate.OneOf(OPERATOR_TYPES)),
                                 load_default=list, validate=unique,
                                 metadata={"description": "空 = 全部经营性质"})
    items = fields.List(fields.String(), required=True,
                        validate=[validate.Length(min=1), unique],
                        metadata={"description": "抽查事项编号 <部门>/<事项编号>"})
    ratios = fields.Nested(RatiosSchema, load_default=None,
                           metadata={"description": "各信用等级抽查比例（%）；缺省按配置"})
    risk_ratios = fields.Nested(RiskRatiosSchema, load_default=None, metadata={
        "description": "按风险等级的抽查比例（%，可选）；给出时每个机构取其信用等级与风险等级"
                       "两个比例中较高者（按信用等级 × 风险等级分层抽取）"})
    team_size = fields.Integer(load_default=None, strict=True,
                               validate=validate.Range(min=2, max=20))
    exclude_previous_batches = Bool(load_default=True)
    ends_on = fields.Date(load_default=None, metadata={
        "description": "计划结束日期（须在计划年度内，不早于制定之日）；缺省为年度最后一天。"
                       "届时仍未录入检查结果的抽中任务标记为逾期"})

    @validates_schema
    def _ends_in_year(self, data: dict[str, Any], **_: Any) -> None:
        ends_on, year = data.get("ends_on"), data.get("year")
        if ends_on is not None and isinstance(year, int) and ends_on.year != year:
            raise ValidationError(f"须在计划年度 {year} 年内", "ends_on")

    @validates("items")
    def _item_refs(self, value: list[str], **_: Any) -> None:
        bad = [v for v in value if "/" not in v]
        if bad:
            raise ValidationError(f"须为 <部门>/<事项编号>：{', '.join(bad)}")

    @post_load
    def _spec(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        ratios = data.pop("ratios")
        data["ratios_bp"] = ({lv: percent_to_bp(ratios[lv]) for lv in CREDIT_LEVELS}
                             if ratios else None)
        risk = data.pop("risk_ratios")
        data["risk_ratios_bp"] = ({c: percent_to_bp(risk[c]) for c in RISK_CLASSES}
                                  if risk else None)
        for key in ("departments", "districts", "operator_types", "items"):
            data[key] = sorted(data[key])
        ends_on = data["ends_on"]
        data["ends_on"] = ends_on.isoformat() if ends_on else default_ends_on(data["year"])
        return data


class StratumSchema(Schema):
    level = fields.String()
    risk_class = fields.String(metadata={"description": "风险等级（按风险等级分层时）"})
    eligible = fields.Integer()
    ratio_bp = fields.Integer(metadata={"description": "比例（万分之）"})
    drawn = fields.Integer()


class DrawnTaskSchema(Schema):
    task_id = fields.String()
    uscc = fields.String()
    credit_level = fields.String()
    inspectors = fields.List(fields.String(), metadata={"description": "<部门>/<执法人员编号>"})


class PublishedSchema(Schema):
    commitment = fields.String(metadata={"description": "SHA-256(种子)"})
    snapshot_hash = fields.String(metadata={"description": "SHA-256(名录快照规范 JSON)"})
    algorithm = fields.String()
    published_on = fields.String(metadata={"format": "date"})
    objects = fields.Integer()
    excluded_objects = fields.Integer()
    inspectors = fields.Integer()
    active_inspectors = fields.Integer()
    beacon = fields.String(metadata={
        "description": "预先公布的公开随机数规则：translog-first-checkpoint/v1 = 透明日志签发的"
                       "第一个包含本计划公布记录（重抽时为上一次尝试结束记录）的检查点"})


class OpeningSchema(Schema):
    """Opens one drawn object's conflict_tag: SHA-256(canonical {inspectors, salt, uscc})."""

    uscc = fields.String()
    salt = fields.String(metadata={"description": "该机构的随机盐（抽中后公开）"})
    inspectors = fields.List(fields.String(), metadata={
        "description": "对该机构申报利益冲突的执法人员（<部门>/<编号>）"})


class DrawSchema(Schema):
    seed = fields.String()
    commitment = fields.String()
    snapshot_hash = fields.String()
    result_hash = fields.String()
    algorithm = fields.String()
    drawn_on = fields.String(metadata={"format": "date"})
    strata = fields.List(fields.Nested(StratumSchema))
    tasks = fields.List(fields.Nested(DrawnTaskSchema))
    conflict_openings = fields.List(fields.Nested(OpeningSchema), metadata={
        "description": "仅抽中机构的回避申报开封值（核验所需）；未抽中机构的始终密封"})
    secret = fields.String(metadata={"description": "公布时承诺的秘密值（抽取时公开）"})
    attempt = fields.Integer(metadata={"description": "第几次抽取尝试"})
    beacon_index = fields.Integer(metadata={"description": "开启本次尝试的记录在透明日志中的序号"})
    beacon_checkpoint = fields.String(metadata={
        "description": "本次尝试混入的公开随机数：透明日志的签名检查点"})


class AttemptSchema(Schema):
    """One draw attempt, in order: drawn, failed (with its reason) or voided (with its
    reason)."""

    attempt = fields.Integer()
    outcome = fields.String(validate=validate.OneOf(("drawn", "failed", "voided")))
    on = fields.String(metadata={"format": "date"})
    reason = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    beacon_index = fields.Integer(allow_none=True)
    beacon_checkpoint = fields.String(allow_none=True)
    seed = fields.String(allow_none=True)
    result_hash = fields.String(allow_none=True)


class VoidSchema(Schema):
    """Void the standing draw (a leader; before any inspection)."""

    reason = fields.String(required=True, validate=validate.Length(min=4, max=500), metadata={
        "description": "作废理由（公开）"})


class ReplacementSchema(Schema):
    """One inspector replaced after an approved recusal (InspectorReplaced)."""

    sequence = fields.Integer(metadata={"description": "本计划第几次替换（替换规则的输入）"})
    recusal_id = fields.String()
    task_id = fields.String()
    uscc = fields.String()
    recused = fields.String(metadata={"description": "回避的执法人员 <部门>/<编号>"})
    replacement = fields.String(metadata={"description": "替换抽中的执法人员"})
    inspectors = fields.List(fields.String(), metadata={"description": "替换后的检查组"})
    requested_by = fields.String(validate=validate.OneOf(REQUESTERS))
    replaced_on = fields.String(metadata={"format": "date"})


class PlanSchema(Schema):
    plan_id = fields.String()
    version = fields.Integer()
    status = fields.String(validate=validate.OneOf(("draft", "published", "drawn")))
    series = fields.String()
    year = fields.Integer()
    batch = fields.Integer()
    title = fields.String()
    departments = fields.List(fields.String())
    districts = fields.List(fields.String())
    operator_types = fields.List(fields.String())
    items = fields.List(fields.String())
    ratios_bp = fields.Dict(keys=fields.String(), values=fields.Integer())
    risk_ratios_bp = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    team_size = fields.Integer()
    exclude_previous_batches = Bool()
    ends_on = fields.String(metadata={"format": "date", "description": "计划结束日期"})
    created_on = fields.String(metadata={"format": "date"})
    published = fields.Nested(PublishedSchema, allow_none=True)
    draw = fields.Nested(DrawSchema, allow_none=True)
    replacements = fields.List(fields.Nested(ReplacementSchema), metadata={
        "description": "抽取后因回避而替换的执法人员（按编号）；原抽取结果不变"})
    attempts = fields.List(fields.Nested(AttemptSchema), metadata={
        "description": "每一次抽取尝试：抽取、未能完成（原因）、作废（原因），均公开并记入日志"})
    verification_url = fields.String(allow_none=True)


class RecusalRequestSchema(Schema):
    """A recusal request after the draw (行政处罚法第四十三条)."""

    task_id = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "抽中的检查任务编号 <计划编号>-<统一社会信用代码>"})
    inspector = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z_]+/[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", error="须为 <部门>/<执法人员编号>"),
        metadata={"description": "申请回避的执法人员 <部门>/<编号>"})
    requested_by = fields.String(required=True, validate=validate.OneOf(REQUESTERS), metadata={
        "description": "institution = 当事机构申请（部门代为登记）；inspector = 执法人员自行申报"})
    reason = text(1000, metadata={"description": "申请理由（不公开）"})


class RecusalDecisionSchema(Schema):
    approved = Bool(required=True, metadata={"description": "true = 决定回避"})
    reason = fields.String(load_default="", validate=validate.Length(max=1000), metadata={
        "description": "决定理由；不予回避时必填"})


class RecusalDecisionOutSchema(Schema):
    approved = Bool()
    reason = fields.String()
    department = fields.String(metadata={"description": "作出决定的部门"})
    decided_on = fields.String(metadata={"format": "date"})


class RecusalSchema(Schema):
    """A recusal request and its decision (departments only: the reasons are not public)."""

    recusal_id = fields.String()
    plan_id = fields.String()
    task_id = fields.String()
    uscc = fields.String()
    inspector = fields.String()
    requested_by = fields.String()
    reason = fields.String()
    recorded_by = fields.String()
    requested_on = fields.String(metadata={"format": "date"})
    status = fields.String(validate=validate.OneOf(("pending", "approved", "refused")))
    decision = fields.Nested(RecusalDecisionOutSchema, allow_none=True)
    replacement = fields.Nested(ReplacementSchema, allow_none=True)


class ReplacementCheckSchema(Schema):
    sequence = fields.Integer()
    uscc = fields.String()
    recused = fields.String()
    published = fields.String()
    recomputed = fields.String()
    matches = Bool()


class VerificationSchema(Schema):
    plan_id = fields.String()
    matches = Bool()
    checks = fields.Dict(keys=fields.String(), values=Bool(), metadata={
        "description": "commitment, snapshot_hash, conflict_openings, result_hash, replacements"})
    recomputed = fields.Dict(keys=fields.String(), values=fields.String())
    published = fields.Dict(keys=fields.String(), values=fields.String())
    replacements = fields.List(fields.Nested(ReplacementCheckSchema))
    problems = fields.List(fields.String())


class VerifyArgsSchema(Schema):
    seed = fields.String(load_default=None, metadata={
        "description": "用另一个种子重算（演示：篡改的种子不匹配）"})


class InspectedSchema(Schema):
    inspected_on = fields.Date(required=True)


class ItemOutcomeSchema(Schema):
    item = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))


class ResultSchema(Schema):
    """Per-item outcomes, findings and follow-up."""

    item_outcomes = fields.List(fields.Nested(ItemOutcomeSchema), required=True,
                                validate=validate.Length(min=1))
    findings = fields.String(load_default="", validate=validate.Length(max=4000))
    follow_up = fields.String(required=True, validate=validate.OneOf(FOLLOW_UPS))


class TaskSchema(Schema):
    task_id = fields.String()
    version = fields.Integer()
    status = fields.String()
    plan_id = fields.String()
    uscc = fields.String()
    credit_level = fields.String()
    departments = fields.List(fields.String())
    inspectors = fields.List(fields.String())
    items = fields.List(fields.String())
    assigned_on = fields.String(metadata={"format": "date"})
    inspected_on = fields.String(allow_none=True, metadata={"format": "date"})
    result = fields.Dict(allow_none=True)
    published_on = fields.String(allow_none=True, metadata={"format": "date"})
    overdue_on = fields.String(allow_none=True, metadata={
        "format": "date", "description": "标记逾期未公示（PublicationOverdue）的日期"})
    unfinished_on = fields.String(allow_none=True, metadata={
        "format": "date",
        "description": "标记计划期满未录入结果（InspectionTaskOverdue）的日期"})
    cancelled = fields.Dict(allow_none=True, metadata={
        "description": "撤销记录（理由、部门、日期）；未撤销为 null"})


class TaskCancelSchema(Schema):
    """Why a drawn task will not be carried out (e.g. the institution closed). Not public."""

    reason = text(500, metadata={"description": "撤销理由（不公开）"})


class OverdueCheckSchema(Schema):
    as_of = fields.Date()
    checked = fields.Integer(metadata={"description": "已检查未公示的任务数"})
    flagged = fields.List(fields.String(), metadata={
        "description": "本次新标记逾期未公示（检查之日起 N 个工作日）的任务"})
    plans_ended = fields.Integer(metadata={"description": "已过结束日期的已抽取计划数"})
    unfinished = fields.List(fields.String(), metadata={
        "description": "本次新标记计划期满仍未录入结果的任务"})


class ObjectSchema(Schema):
    uscc = fields.String()
    name = fields.String()
    district_code = fields.String()
    operator_type = fields.String()
    beds = fields.Integer()
    filing_status = fields.String()
    credit_level = fields.String()
    credit_assessed = Bool(metadata={
        "description": "false：信用等级尚未从信用服务到达，暂按中性等级（见 credit_level）"})
