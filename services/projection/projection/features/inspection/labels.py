"""Chinese labels of the inspection pages."""

from __future__ import annotations

LABELS = {
    "department": {"civil_affairs": "民政", "market_supervision": "市场监管",
                   "fire_rescue": "消防救援", "health": "卫生健康", "emergency": "应急管理"},
    "outcome": {"compliant": "符合", "problem_found": "发现问题", "not_applicable": "不适用"},
    "follow_up": {"none": "无需后续处理", "rectification_ordered": "责令整改",
                  "referred_for_penalty": "移送行政处罚"},
    "plan_status": {"draft": "草案", "published": "已公布（待抽取）", "drawn": "已抽取"},
    "requested_by": {"institution": "当事机构申请", "inspector": "执法人员自行申报"},
    "method": {"on_site": "现场检查", "document_review": "书面检查", "online": "网络监测",
               "sampling_test": "抽样检测"},
    "operator_type": {"public": "公办", "private_profit": "民办营利",
                      "private_nonprofit": "民办非营利", "public_private": "公建民营"},
}
