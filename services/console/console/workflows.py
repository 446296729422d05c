"""Every workflow the services' READMEs walk through with curl, as a form of the console.

Each names the service operation it calls and who usually does it (to list it on the right
official's desk); whether the official may really do it is always the service's answer.
Irreversible steps ask for confirmation first.
"""

from __future__ import annotations

from dataclasses import dataclass

CA, MS, FR = "civil_affairs", "market_supervision", "fire_rescue"
PENALISING = (CA, MS, FR, "health", "emergency", "public_security", "housing")
EVERY = (*PENALISING, "finance")
ESCROW = (CA, "finance")

LABELS = {
    "uscc": "统一社会信用代码", "name": "机构名称", "address": "服务场所地址",
    "district_code": "所在区县代码", "beds": "床位数", "nursing_beds": "护理型床位数",
    "floor_area_m2": "建筑面积（平方米）", "operator_type": "运营方式",
    "premises_ownership": "场所产权", "legal_representative": "法定代表人（主要负责人）",
    "contact_name": "联系人", "contact_phone": "联系电话",
    "first_admission_date": "首次收住老年人日期", "reason": "理由", "note": "说明",
    "decision_no": "决定书文号", "party.kind": "当事人类别", "party.uscc": "当事人信用代码",
    "party.name": "当事人名称", "party.id_number": "当事人身份证号",
    "violation_type": "违法类型", "legal_basis": "法律依据", "sanctions": "处罚种类和数额",
    "authority": "作出决定的机关", "decided_on": "决定日期", "summary": "主要违法事实",
    "penalty_id": "处罚编号", "change": "变更类型", "revoked_on": "撤销（变更）日期",
    "ground": "列入事由", "ground_detail": "事由说明", "responsible_persons": "责任人",
    "institution_name": "机构名称", "approve": "是否同意列入", "approved": "是否同意",
    "measure_id": "惩戒措施编号", "hazard_id": "隐患编号",
    "deadline_workdays": "整改期限（工作日）",
    "served_on": "送达日期", "measures": "整改措施要求", "extra_workdays": "延长（工作日）",
    "outcome": "结果", "inspectors": "检查人员", "evidence": "证据说明",
    "reinspected_on": "复查日期", "scope": "查封部位或场所", "decision": "决定方式",
    "decided_by": "决定人员账号", "agree": "是否同意", "members": "成员账号",
    "result": "提请的结论", "inspection_id": "检查编号", "institution_uscc": "机构信用代码",
    "kind": "类别", "inspection_date": "检查日期", "items": "检查项目", "complete": "同时完成",
    "item_code": "检查项代码", "plan_id": "计划编号", "task_id": "任务编号",
    "inspected_on": "检查日期", "findings": "发现的问题", "follow_up": "后续处理",
    "item_outcomes": "逐项结果", "year": "年度", "series": "系列", "batch": "批次",
    "title": "标题", "departments": "参与部门", "districts": "抽查区县代码",
    "ratios": "各信用等级抽查比例", "team_size": "每组检查人员数",
    "operator_types": "运营方式", "exclude_previous_batches": "排除本年已抽中的机构",
    "recusal_id": "回避申请编号", "inspector": "执法人员", "requested_by": "申请人",
    "jurisdiction": "适用地区", "effective_from": "生效日期", "bank": "开户银行",
    "account_number": "监管账号", "custody_agreement_id": "监管协议编号",
    "contract_id": "合同编号", "resident_ref": "入住人编号（不含个人信息）",
    "starts_on": "开始日期", "ends_on": "结束日期", "ended_on": "结束日期",
    "monthly_bed_fee_fen": "月床位费（分）", "monthly_service_fee_fen": "月服务费（分）",
    "amount_fen": "金额（分）", "paid_on": "支付日期", "period": "月份",
    "reference": "凭证号", "transactions": "流水", "records": "记录",
    "ratios.A": "A 级抽查比例（%）", "ratios.B": "B 级抽查比例（%）",
    "ratios.C": "C 级抽查比例（%）", "ratios.D": "D 级抽查比例（%）",
    "risk_ratios": "各风险等级抽查比例（可选）", "risk_ratios.low": "低风险抽查比例（%）",
    "risk_ratios.medium": "一般风险抽查比例（%）", "risk_ratios.high": "较高风险抽查比例（%）",
    "risk_ratios.critical": "高风险抽查比例（%）",
    "item": "抽查事项", "user_id": "人员账号", "department": "部门",
    "filed_on": "备案日期", "filing_deadline": "备案截止日", "filing_required": "须备案",
    "late": "逾期", "late_by_workdays": "逾期工作日", "receipt_no": "备案回执编号",
    "status": "状态", "version": "版本", "deadline_provisional": "截止日按暂定节假日计算",
    "changed_on": "变更日期", "cancelled_on": "注销日期", "cancel_reason": "注销原因",
    "complaint_id": "投诉编号", "finding": "调查结论", "reply": "答复内容",
    "to_departments": "转交部门", "into": "合并到的投诉编号", "category": "类别",
    "description": "投诉内容", "anonymous": "匿名", "has_contact": "留有联系方式",
    "channel": "来源", "received_on": "收到日期", "closed_on": "办结日期",
    "rating": "投诉人评价", "erased": "个人信息已删除", "merged_into": "已合并到",
    "tracks": "各部门办理", "risk_class_label": "风险等级", "score": "风险分值",
    "reasons": "预警依据", "alert": "当前预警", "level_label": "预警等级",
    "awaiting_inspection": "待重点检查结果", "alerts": "历次预警", "raised_on": "预警日期",
    "outcome_label": "结果", "changed_fields": "变更项目", "level": "等级",
}


@dataclass(frozen=True)
class Workflow:
    id: str
    title: str
    service: str
    method: str
    path: str  # the OpenAPI path, {name} for path parameters
    departments: tuple[str, ...]
    group: str
    confirm: str = ""  # irreversible: the question asked before it is sent
    order: tuple[str, ...] = ()  # fields shown first, in this order
    upload: str = ""  # a file is sent as the body, of this content type (CSV statements)
    checklist: bool = False  # rows of "items" start as the current fire checklist's items

    def url(self, params: dict[str, str]) -> str:
        out = self.path
        for name, value in params.items():
            out = out.replace("{" + name + "}", value)
        return out


def _w(id_: str, title: str, service: str, method: str, path: str,
       departments: tuple[str, ...], group: str, **kw: object) -> Workflow:
    return Workflow(id_, title, service, method, path, departments, group, **kw)  # type: ignore[arg-type]


FILING_ORDER = ("name", "district_code", "address", "operator_type", "premises_ownership",
                "beds", "nursing_beds", "floor_area_m2", "first_admission_date",
                "legal_representative", "contact_name", "contact_phone")
INSPECTION_ORDER = ("inspection_id", "institution_uscc", "institution_name", "kind",
                    "inspection_date", "inspectors", "items", "complete")
WORKFLOWS: tuple[Workflow, ...] = (
    # 备案 (registry)
    _w("filing", "养老机构备案", "registry", "POST", "/api/v1/institutions/{uscc}/filing",
       (CA,), "备案", order=FILING_ORDER),
    _w("filing-change", "备案变更", "registry", "PATCH", "/api/v1/institutions/{uscc}/filing",
       (CA,), "备案", order=FILING_ORDER),
    _w("filing-cancel", "备案注销", "registry", "POST",
       "/api/v1/institutions/{uscc}/filing/cancellation", (CA,), "备案",
       confirm="注销后该机构从备案名录中移出，且不能撤回。确定注销吗？"),
    # 双随机一公开 (inspection)
    _w("inspector", "登记执法检查人员", "inspection", "POST",
       "/api/v1/departments/{department}/inspectors", PENALISING, "双随机抽查"),
    _w("inspector-change", "变更执法检查人员", "inspection", "PATCH",
       "/api/v1/departments/{department}/inspectors/{inspector_id}", PENALISING, "双随机抽查"),
    _w("check-item", "发布抽查事项", "inspection", "POST",
       "/api/v1/departments/{department}/items", PENALISING, "双随机抽查"),
    _w("plan", "新建抽查计划", "inspection", "POST", "/api/v1/plans", PENALISING, "双随机抽查",
       order=("year", "series", "batch", "title", "departments", "districts", "items")),
    _w("plan-publish", "公布抽查计划", "inspection", "POST",
       "/api/v1/plans/{plan_id}/publication", PENALISING, "双随机抽查",
       confirm="公布后计划、名录快照和随机种子的承诺值即公开，不能修改。确定公布吗？"),
    _w("plan-draw", "抽取检查对象和执法人员", "inspection", "POST",
       "/api/v1/plans/{plan_id}/draw", PENALISING, "双随机抽查",
       confirm="抽取结果将公开。抽取使用透明日志的公开随机数；每一次尝试（包括未能完成的）"
               "都公开记录。确定现在抽取吗？"),
    _w("plan-void", "作废抽取结果（负责人）", "inspection", "POST",
       "/api/v1/plans/{plan_id}/draw-voiding", PENALISING, "双随机抽查",
       confirm="作废后原抽取的任务全部撤销，作废理由公开并记入透明日志，重抽使用新的公开随机数。"
               "确定作废吗？"),
    _w("recusal", "登记回避申请", "inspection", "POST", "/api/v1/plans/{plan_id}/recusals",
       PENALISING, "双随机抽查"),
    _w("recusal-decide", "作出回避决定", "inspection", "POST",
       "/api/v1/plans/{plan_id}/recusals/{recusal_id}/decision", PENALISING, "双随机抽查",
       confirm="决定回避时将按公布的规则抽取替换人员。确定提交吗？"),
    _w("task-visit", "登记已实施检查", "inspection", "POST",
       "/api/v1/tasks/{task_id}/inspection", PENALISING, "双随机抽查"),
    _w("task-result", "录入检查结果", "inspection", "POST", "/api/v1/tasks/{task_id}/result",
       PENALISING, "双随机抽查"),
    _w("task-publish", "公示检查结果", "inspection", "POST",
       "/api/v1/tasks/{task_id}/publication", PENALISING, "双随机抽查",
       confirm="公示后结果对社会公开。确定公示吗？"),
    _w("task-cancel", "撤销检查任务", "inspection", "POST",
       "/api/v1/tasks/{task_id}/cancellation", PENALISING, "双随机抽查",
       confirm="撤销后该任务不再检查。确定撤销吗？"),
    # 消防检查 (fire_safety)
    _w("fire-official", "登记集体决定成员账号", "fire_safety", "POST",
       "/api/v1/departments/{department}/officials", (FR, CA), "消防检查"),
    _w("fire-official-off", "停用成员账号", "fire_safety", "POST",
       "/api/v1/departments/{department}/officials/{login}/deactivation", (FR, CA), "消防检查",
       confirm="停用后该账号不能再被列为集体决定成员。确定停用吗？"),
    _w("fire-inspection", "登记消防检查（检查表）", "fire_safety", "POST", "/api/v1/inspections",
       (FR, CA), "消防检查", order=INSPECTION_ORDER, checklist=True),
    _w("fire-items", "补录检查项", "fire_safety", "POST",
       "/api/v1/inspections/{inspection_id}/items", (FR, CA), "消防检查"),
    _w("fire-determination-vote", "对重大隐患集体判定表态", "fire_safety", "POST",
       "/api/v1/inspections/{inspection_id}/items/{item_code}/determination-votes", (FR, CA),
       "消防检查", confirm="表态以本人账号记录，不能更改。确定提交吗？"),
    _w("fire-complete", "完成检查", "fire_safety", "POST",
       "/api/v1/inspections/{inspection_id}/completion", (FR, CA), "消防检查",
       confirm="完成后检查记录不可更改（只能另行更正）。确定完成吗？"),
    _w("fire-correct", "更正检查记录", "fire_safety", "POST",
       "/api/v1/inspections/{inspection_id}/corrections", (FR, CA), "消防检查"),
    _w("fire-expert", "召集专家组", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/expert-determination", (FR,), "消防检查"),
    _w("fire-expert-vote", "对专家组结论表态", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/expert-determination/votes", (FR,), "消防检查",
       confirm="表态以本人账号记录，不能更改。确定提交吗？"),
    _w("fire-order", "责令限期改正", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/rectification-order", (FR,), "消防检查"),
    _w("fire-reinspect", "复查", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/reinspections", (FR,), "消防检查"),
    _w("fire-extend", "延长整改期限", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/extension", (FR,), "消防检查",
       confirm="整改期限只能延长一次。确定延长吗？"),
    _w("fire-seal", "临时查封", "fire_safety", "POST", "/api/v1/hazards/{hazard_id}/sealing",
       (FR,), "消防检查", confirm="确定作出临时查封决定吗？"),
    _w("fire-seal-confirm", "提请集体确认紧急查封", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/sealing/confirmation", (FR,), "消防检查"),
    _w("fire-seal-vote", "对集体查封决定表态", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/sealing/votes", (FR,), "消防检查",
       confirm="表态以本人账号记录，不能更改。确定提交吗？"),
    _w("fire-seal-lift", "解除查封", "fire_safety", "POST",
       "/api/v1/hazards/{hazard_id}/sealing/lifting", (FR,), "消防检查",
       confirm="确定解除查封吗？"),
    _w("fire-template", "发布检查表新版本", "fire_safety", "POST",
       "/api/v1/checklist-templates/{template_id}/versions", (FR,), "消防检查"),
    # 信用监管 (credit)
    _w("penalty", "录入行政处罚决定", "credit", "POST", "/api/v1/penalties", PENALISING,
       "信用监管", order=("decision_no", "party.kind", "party.uscc", "party.name",
                        "violation_type", "legal_basis", "sanctions", "authority",
                        "district_code", "decided_on", "summary")),
    _w("penalty-publish", "公示行政处罚", "credit", "POST",
       "/api/v1/penalties/{penalty_id}/publication", PENALISING, "信用监管",
       confirm="公示后处罚信息对社会公开。确定公示吗？"),
    _w("penalty-withdraw", "撤下处罚公示", "credit", "POST",
       "/api/v1/penalties/{penalty_id}/withdrawal", PENALISING, "信用监管",
       confirm="确定撤下该处罚的公示吗？"),
    _w("penalty-early-end", "提前停止公示", "credit", "POST",
       "/api/v1/penalties/{penalty_id}/early-end", PENALISING, "信用监管",
       confirm="确定提前停止公示吗？"),
    _w("listing-propose", "提议列入严重失信名单", "credit", "POST",
       "/api/v1/dishonesty/{uscc}/proposal", PENALISING, "信用监管"),
    _w("listing-decide", "作出列入决定", "credit", "POST", "/api/v1/dishonesty/{uscc}/decision",
       (CA,), "信用监管", confirm="列入决定将公开并触发联合惩戒。确定提交吗？"),
    _w("listing-remove", "移出严重失信名单", "credit", "POST",
       "/api/v1/dishonesty/{uscc}/removal", (CA,), "信用监管",
       confirm="确定移出严重失信名单吗？"),
    _w("listing-repair", "信用修复决定", "credit", "POST", "/api/v1/dishonesty/{uscc}/repair",
       (CA,), "信用监管", confirm="确定作出信用修复决定吗？"),
    _w("listing-correct", "更正错误列入", "credit", "POST",
       "/api/v1/dishonesty/{uscc}/correction", (CA,), "信用监管",
       confirm="更正后该列入从公开名单中撤下。确定提交吗？"),
    _w("measure-execute", "报告惩戒措施已执行", "credit", "POST",
       "/api/v1/dishonesty/{uscc}/measures/{measure_id}/execution", EVERY, "信用监管"),
    # 押金监管 (escrow)
    _w("escrow-policy", "发布预收费监管规则", "escrow", "POST",
       "/api/v1/policies/{jurisdiction}", ESCROW, "押金监管",
       confirm="新版本规则自生效日起适用。确定发布吗？"),
    _w("escrow-account", "开立监管账户", "escrow", "POST", "/api/v1/institutions/{uscc}/account",
       ESCROW, "押金监管"),
    _w("escrow-close", "注销监管账户", "escrow", "POST",
       "/api/v1/institutions/{uscc}/account/closure", ESCROW, "押金监管",
       confirm="确定注销该监管账户吗？"),
    _w("escrow-contract", "登记入住合同", "escrow", "POST",
       "/api/v1/institutions/{uscc}/contracts", ESCROW, "押金监管"),
    _w("escrow-deposit", "登记收取押金或预收费", "escrow", "POST",
       "/api/v1/institutions/{uscc}/contracts/{contract_id}/deposits", ESCROW, "押金监管"),
    _w("escrow-draw", "按月划转预收费", "escrow", "POST",
       "/api/v1/institutions/{uscc}/contracts/{contract_id}/draws", ESCROW, "押金监管"),
    _w("escrow-end", "终止入住合同", "escrow", "POST",
       "/api/v1/institutions/{uscc}/contracts/{contract_id}/end", ESCROW, "押金监管",
       confirm="终止后押金和未用预收费即应退还。确定终止吗？"),
    _w("escrow-refund", "登记退款", "escrow", "POST",
       "/api/v1/institutions/{uscc}/contracts/{contract_id}/refunds", ESCROW, "押金监管"),
    _w("escrow-statement", "导入银行对账单", "escrow", "POST",
       "/api/v1/institutions/{uscc}/statements", ESCROW, "押金监管", upload="text/csv"),
    _w("escrow-reconcile", "立即对账", "escrow", "POST",
       "/api/v1/institutions/{uscc}/reconciliations", ESCROW, "押金监管"),
    # 重点检查 (inspection): opened by orange and red risk alerts
    _w("targeted-result", "录入重点检查结果", "inspection", "POST",
       "/api/v1/targeted-inspections/{inspection_id}/result", EVERY, "重点检查"),
    _w("targeted-publish", "公开重点检查结果", "inspection", "POST",
       "/api/v1/targeted-inspections/{inspection_id}/publication", EVERY, "重点检查",
       confirm="公开后结果（标明为重点检查及原因）对社会公开。确定公开吗？"),
    # 投诉举报 (complaints): the desk's item opens the complaint's page first
    _w("complaint-accept", "受理投诉", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/acceptance", EVERY, "投诉举报"),
    _w("complaint-refuse", "不予受理", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/refusal", EVERY, "投诉举报",
       confirm="不予受理将告知投诉人并记录理由。确定提交吗？"),
    _w("complaint-transfer", "转办其他部门", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/transfer", EVERY, "投诉举报"),
    _w("complaint-investigate", "登记调查结论", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/investigation", EVERY, "投诉举报"),
    _w("complaint-reply", "答复投诉人", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/reply", EVERY, "投诉举报",
       confirm="答复内容投诉人凭编号和查询码可以看到。确定答复吗？"),
    _w("complaint-merge", "合并重复投诉", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/merge", EVERY, "投诉举报",
       confirm="合并后本件办结，随被合并的投诉一并办理。确定合并吗？"),
    _w("complaint-erase", "删除投诉人个人信息", "complaints", "POST",
       "/api/v1/complaints/{complaint_id}/erasure", EVERY, "投诉举报",
       confirm="删除后投诉人的联系方式和投诉内容将永久无法恢复。确定删除吗？"),
)
COMPLAINT_STEPS = ("complaint-accept", "complaint-refuse", "complaint-transfer",
                   "complaint-investigate", "complaint-reply", "complaint-merge",
                   "complaint-erase")
# operations that are no official's form: scheduled checks and the machine push
NOT_FORMS = {("registry", "POST", "/api/v1/checks/unfiled"),
             ("registry", "POST", "/api/v1/enterprise-registrations/batch"),
             ("inspection", "POST", "/api/v1/checks/publication-overdue"),
             ("fire_safety", "POST", "/api/v1/checks/overdue"),
             ("credit", "POST", "/api/v1/checks/run"),
             ("escrow", "POST", "/api/v1/checks/overdue-refunds"),
             # the public's own steps, and the hotline systems' push
             ("complaints", "POST", "/api/v1/public/complaints"),
             ("complaints", "POST", "/api/v1/public/complaints/status"),
             ("complaints", "POST", "/api/v1/public/complaints/rating"),
             ("complaints", "POST", "/api/v1/intake/complaints"),
             ("risk", "POST", "/api/v1/checks/reassessment")}
BY_ID = {w.id: w for w in WORKFLOWS}


def for_department(department: str) -> dict[str, list[Workflow]]:
    """The workflows an official of ``department`` usually does, by group."""
    out: dict[str, list[Workflow]] = {}
    for w in WORKFLOWS:
        if department in w.departments:
            out.setdefault(w.group, []).append(w)
    return out


@dataclass(frozen=True)
class Kind:
    """How the desk shows one kind of work item and which form does it."""

    label: str
    workflow: str | None = None
    ref_param: str = ""  # the path parameter the item's ref fills
    page: str = ""  # or a page to read first
    page_param: str = "complaint_id"  # which of the page's parameters the item's ref fills


KINDS = {
    "order_to_serve": Kind("送达整改通知书", "fire-order", "hazard_id"),
    "determination_to_confirm": Kind("重大隐患集体判定待本人表态", "fire-determination-vote",
                                     "inspection_id"),
    "determination_disputed": Kind("集体判定有异议，待重新录入", "fire-items", "inspection_id"),
    "inspection_to_complete": Kind("集体判定已一致，待完成检查", "fire-complete",
                                   "inspection_id"),
    "rectification_due": Kind("整改期限内，届满后复查", "fire-reinspect", "hazard_id"),
    "reinspection_due": Kind("整改期限已届满，待复查", "fire-reinspect", "hazard_id"),
    "sealing_to_confirm": Kind("查封待集体确认", "fire-seal-vote", "hazard_id"),
    "penalty_to_disclose": Kind("处罚决定待公示", "penalty-publish", "penalty_id"),
    "listing_to_decide": Kind("失信列入提议待决定", "listing-decide"),
    "measure_to_execute": Kind("联合惩戒措施待执行", "measure-execute", "measure_id"),
    "suspected_unfiled": Kind("疑似未备案经营", "filing"),
    "filing_expected": Kind("已登记养老服务企业待备案", "filing"),
    "statement_due": Kind("银行对账单待导入", "escrow-statement"),
    "escrow_shortfall": Kind("监管账户资金不足"),
    "refund_overdue": Kind("押金退款逾期", "escrow-refund", "contract_id"),
    "plan_to_publish": Kind("抽查计划待公布", "plan-publish", "plan_id"),
    "plan_to_draw": Kind("抽查计划待抽取", "plan-draw", "plan_id"),
    "task_without_result": Kind("检查任务待录入结果", "task-result", "task_id"),
    "result_to_publish": Kind("检查结果待公示", "task-publish", "task_id"),
    "complaint_to_accept": Kind("投诉待受理", page="console.complaint"),
    "complaint_to_reply": Kind("投诉已受理，待调查答复", page="console.complaint"),
    "risk_alert": Kind("风险预警", page="console.institution", page_param="uscc"),
    "targeted_to_inspect": Kind("重点检查待实施并录入结果", "targeted-result",
                                "inspection_id"),
    "targeted_to_publish": Kind("重点检查结果待公开", "targeted-publish", "inspection_id"),
}


def action(item: dict[str, str]) -> tuple[str, dict[str, str]] | None:
    """The workflow that does a desk item and the fields it fills in, if any."""
    kind = KINDS.get(item.get("kind", ""))
    if kind is None or kind.workflow is None:
        return None
    params = {kind.ref_param: item["ref"]} if kind.ref_param else {}
    path = BY_ID[kind.workflow].path
    params |= {k: v for k, v in (item.get("params") or {}).items()
               if v and "{" + k + "}" in path}
    if "{uscc}" in path and item.get("uscc"):
        params["uscc"] = item["uscc"]
    return kind.workflow, params
