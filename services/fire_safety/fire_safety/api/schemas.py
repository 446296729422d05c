"""Request and response schemas of the fire-safety API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from fire_safety.api.fields import CODE, ID, USER_ID, notes, user_ids, workdays
from fire_safety.domain.checklist import DEFAULT_TEMPLATE_ID
from fire_safety.domain.model import HAZARD_LEVELS, KINDS, LEVELS, OUTCOMES
from fire_safety.domain.officials import DUTIES
from shared.http.fields import Bool, Uscc, text

KIND_DOC = "fire_supervision=消防监督检查（消防救援）, joint_daily=民政消防联合日常检查"


class ChecklistItemSchema(Schema):
    code = fields.String(required=True, validate=CODE)
    title = text(500)
    severity_hint = fields.String(required=True, validate=validate.OneOf(LEVELS),
                                  metadata={"description": "general=一般, major=可能构成重大隐患"})


class TemplatePublishSchema(Schema):
    title = text(200)
    items = fields.List(fields.Nested(ChecklistItemSchema), required=True,
                        validate=validate.Length(min=1, max=200))


class TemplateVersionSchema(Schema):
    template_id = fields.String()
    version = fields.Integer()
    title = fields.String()
    items = fields.List(fields.Nested(ChecklistItemSchema))


class TemplateSchema(Schema):
    template_id = fields.String()
    latest_version = fields.Integer()
    versions = fields.List(fields.Nested(TemplateVersionSchema))


class InspectorSchema(Schema):
    user_id = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$", error="用户编号（不得填写姓名等个人信息）"))
    department = fields.String(required=True,
                               validate=validate.OneOf(("fire_rescue", "civil_affairs")))


class ItemResultSchema(Schema):
    item_code = fields.String(required=True, validate=CODE)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES), metadata={
        "description": "pass=合格, fail=不合格（形成隐患）, corrected_on_spot=当场改正, "
                       "not_applicable=不适用"})
    evidence = notes(metadata={"description": "证据说明（不合格、当场改正时必填）"})
    level = fields.String(load_default=None, allow_none=True,
                          validate=validate.OneOf(HAZARD_LEVELS), metadata={
                              "description": "不合格项：general / major（须集体判定）/ "
                                             "pending_expert_review（提交专家组）"})
    determined_by = user_ids(metadata={
        "description": "major：集体讨论判定人员（≥3 个账号，须为本次检查承办部门名录中"
                       "在职的执法人员）"})


class InspectionCreateSchema(Schema):
    inspection_id = fields.String(load_default=None, validate=ID,
                                  metadata={"description": "可选；省略时自动生成"})
    institution_uscc = Uscc(required=True, metadata={"example": "91350100M000100Y43"})
    institution_name = text(200)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": KIND_DOC})
    inspection_date = fields.Date(required=True)
    inspectors = fields.List(fields.Nested(InspectorSchema), required=True,
                             validate=validate.Length(min=1, max=20))
    task_id = fields.String(load_default=None, allow_none=True, validate=ID,
                            metadata={"description": "双随机抽查任务编号（可选）"})
    template_id = fields.String(load_default=DEFAULT_TEMPLATE_ID, validate=ID)
    template_version = fields.Integer(load_default=None, allow_none=True, strict=True,
                                      validate=validate.Range(min=1))
    items = fields.List(fields.Nested(ItemResultSchema), load_default=list,
                        validate=validate.Length(max=200))
    complete = Bool(load_default=False, metadata={"description": "同时完成检查"})


class ItemsSchema(Schema):
    items = fields.List(fields.Nested(ItemResultSchema), required=True,
                        validate=validate.Length(min=1, max=200))
    complete = Bool(load_default=False)


class CorrectionSchema(Schema):
    item_code = fields.String(load_default=None, allow_none=True, validate=CODE)
    note = text(2000)
    reason = text(500)


class OrderOutSchema(Schema):
    order_no = fields.String()
    served_on = fields.Date()
    served_late = Bool()
    deadline_workdays = fields.Integer()
    deadline = fields.Date()
    reinspection_due = fields.Date()
    extended = Bool()
    overdue_on = fields.Date(allow_none=True)
    verified_on = fields.Date(allow_none=True)
    last_reinspected_on = fields.Date(allow_none=True)
    reinspection_overdue_on = fields.Date(allow_none=True)


class HazardSchema(Schema):
    hazard_id = fields.String()
    item_code = fields.String()
    item_title = fields.String()
    level = fields.String()
    status = fields.String(metadata={"description": "open / ordered / overdue / verified"})
    identified_on = fields.Date()
    service_due = fields.Date()
    service_overdue_on = fields.Date(allow_none=True)
    sealing = fields.String(allow_none=True)
    order = fields.Nested(OrderOutSchema, allow_none=True)
    panel = fields.Dict(allow_none=True, metadata={
        "description": "召集的专家组：members、result、agreeing、dissenting、concluded"})
    sealing_proposal = fields.Dict(allow_none=True, metadata={
        "description": "待成员本人确认的集体查封决定：purpose（order 查封 / "
                       "confirm 确认紧急查封）、scope、reason、members、confirmed、waiting_for"})


class ResultOutSchema(Schema):
    item_code = fields.String()
    outcome = fields.String()
    evidence = fields.String()
    level = fields.String(allow_none=True)
    determined_by = fields.List(fields.String())
    agreeing = fields.List(fields.String(), metadata={"description": "已本人确认的判定人员"})
    dissenting = fields.List(fields.String(), metadata={"description": "不同意的判定人员"})
    waiting_for = fields.List(fields.String(), metadata={"description": "尚未确认的判定人员"})


class InspectionSchema(Schema):
    inspection_id = fields.String()
    version = fields.Integer()
    institution_uscc = fields.String()
    institution_name = fields.String()
    kind = fields.String()
    department = fields.String(metadata={
        "description": "承办部门：唯一可记录检查结果的部门（早期记录为空：按检查类别允许的部门）"})
    inspection_date = fields.Date()
    inspectors = fields.List(fields.Nested(InspectorSchema))
    task_id = fields.String(allow_none=True)
    template_id = fields.String()
    template_version = fields.Integer()
    items = fields.List(fields.Nested(ChecklistItemSchema))
    results = fields.List(fields.Nested(ResultOutSchema))
    status = fields.String(metadata={"description": "open / completed"})
    completed_on = fields.Date(allow_none=True)
    corrections = fields.Integer()
    hazards = fields.List(fields.Nested(HazardSchema))


class HazardResultSchema(Schema):
    inspection_id = fields.String()
    version = fields.Integer()
    hazard = fields.Nested(HazardSchema)
    events = fields.List(fields.String(), metadata={"description": "本次记录的事件"})


class ExpertSchema(Schema):
    members = user_ids(metadata={
        "description": "专家组成员账号（≥7，须为 fire_rescue 名录中在职的执法人员或专家，不得重复，"
                       "与机构有利害关系者不得参加）；各成员须本人登录后确认（votes）"})
    result = fields.String(required=True, validate=validate.OneOf(LEVELS),
                           metadata={"description": "提请专家组确认的结论"})


class VoteSchema(Schema):
    agree = Bool(required=True, metadata={
        "description": "true = 同意提请的结论；成员即当前登录账号，不能代他人确认"})


class OrderSchema(Schema):
    deadline_workdays = workdays("整改期限（送达后的工作日数）")
    served_on = fields.Date(load_default=None, metadata={"description": "送达日期，默认今天"})
    measures = notes(metadata={"description": "整改措施要求"})


class ExtensionSchema(Schema):
    extra_workdays = workdays("延长的工作日数（仅可延期一次）")
    reason = text(500)


class ReinspectionSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("fixed", "not_fixed")))
    inspectors = user_ids(metadata={"description": "复查人员用户编号（≥2）"})
    evidence = notes()
    reinspected_on = fields.Date(load_default=None, metadata={"description": "默认今天"})


class SealingSchema(Schema):
    scope = text(500, metadata={"description": "查封部位或停止使用的场所、设施"})
    reason = text(500)
    decision = fields.String(required=True, validate=validate.OneOf(("collective", "emergency")))
    decided_by = user_ids(metadata={
        "description": "collective：≥3 个（各自本人确认后生效，POST .../sealing/votes）、"
                       "emergency：≥1 个 fire_rescue 名录中在职执法人员账号"})


class SealingConfirmSchema(Schema):
    decided_by = user_ids(metadata={
        "description": "≥3 个集体决定人员；各自本人确认后生效（POST .../sealing/votes）"})


class LiftSchema(Schema):
    reason = text(500)


class OverdueReportSchema(Schema):
    as_of = fields.Date()
    checked = fields.Integer()
    raised = fields.List(fields.Dict())


class OfficialSchema(Schema):
    login = fields.String(required=True, validate=USER_ID, metadata={
        "description": "账号（= 令牌 sub），不得填写姓名等个人信息"})
    region = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{6}$", error="6 位行政区划代码"), metadata={"example": "500103"})
    duty = fields.String(load_default="officer", validate=validate.OneOf(DUTIES), metadata={
        "description": "officer=执法人员（可参加集体讨论、专家组）, "
                       "expert=登记的专家（仅可参加专家组）"})
    conflicts = fields.List(Uscc(), load_default=list, validate=validate.Length(max=50),
                            metadata={"description": "有利害关系、须回避的机构统一社会信用代码"})


class OfficialOutSchema(Schema):
    login = fields.String()
    department = fields.String()
    region = fields.String()
    duty = fields.String()
    conflicts = fields.List(fields.String())
    active = Bool()


class DeactivationSchema(Schema):
    reason = text(500)
