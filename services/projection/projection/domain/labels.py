"""Chinese labels for the codes that appear in registry events."""

from __future__ import annotations

from shared.divisions import DISTRICTS  # GB/T 2260 names, kept in the kernel

OPERATOR_TYPES: dict[str, str] = {
    "public": "公办",
    "private_profit": "民办营利",
    "private_nonprofit": "民办非营利",
    "public_private": "公建民营",
}

PREMISES_OWNERSHIP: dict[str, str] = {
    "owned": "自有",
    "leased": "租赁",
    "free_use": "无偿使用",
    "other": "其他",
}

FILING_STATUS: dict[str, str] = {
    "unfiled": "未备案",
    "filed": "已备案",
    "cancelled": "已注销备案",
}

ENTERPRISE_STATUS: dict[str, str] = {
    "active": "存续",
    "revoked": "吊销",
    "deregistered": "注销",
    "suspended": "歇业",
}

EVENT_TITLES: dict[str, str] = {
    "EnterpriseRegistrationReceived": "收到企业登记信息",
    "EnterpriseRegistrationChanged": "企业登记信息变更",
    "InstitutionFiled": "备案",
    "InstitutionFilingChanged": "备案变更",
    "InstitutionCancelled": "注销备案",
}

# Field names used in changed_fields of filing and registration changes.
FIELD_NAMES: dict[str, str] = {
    "name": "名称",
    "address": "地址",
    "district_code": "所在区县",
    "legal_representative": "法定代表人",
    "operator_type": "经营性质",
    "premises_ownership": "场所权属",
    "beds": "床位数",
    "nursing_beds": "护理型床位数",
    "floor_area_m2": "建筑面积",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "first_admission_date": "首次收住老年人日期",
    "entity_type": "企业类型",
    "business_scope": "经营范围",
    "established_date": "成立日期",
    "status": "登记状态",
}



def label(table: dict[str, str], code: str | None) -> str | None:
    """The label for a code, the code itself when unknown, None for None."""
    if code is None:
        return None
    return table.get(code, code)


def district_name(code: str | None) -> str | None:
    """District name for a 行政区划代码, falling back to the code."""
    return label(DISTRICTS, code)


def field_names(fields: list[str]) -> str:
    """Changed field names in Chinese, e.g. 床位数、联系电话 (record.x counts as x)."""
    names = [FIELD_NAMES.get(f.split(".")[-1], f) for f in fields]
    return "、".join(dict.fromkeys(names))
