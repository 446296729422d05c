"""Chinese labels shown to users and in refusals."""

from __future__ import annotations

DEPARTMENT_LABELS = {
    "civil_affairs": "民政", "market_supervision": "市场监管", "fire_rescue": "消防救援",
    "health": "卫生健康", "emergency": "应急管理",
}
OUTCOME_LABELS = {"compliant": "符合", "problem_found": "发现问题", "not_applicable": "不适用"}
FOLLOW_UP_LABELS = {"none": "无需后续处理", "rectification_ordered": "责令整改",
                    "referred_for_penalty": "移送行政处罚"}
TASK_STATUS_LABELS = {"assigned": "已派发", "inspected": "已检查", "recorded": "已录入结果",
                      "published": "已公开"}
PLAN_STATUS_LABELS = {"draft": "草案", "published": "已公布（待抽取）", "drawn": "已抽取"}
METHOD_LABELS = {"on_site": "现场检查", "document_review": "书面检查", "online": "网络监测",
                 "sampling_test": "抽样检测"}
