"""One line of the public change log (变更记录) per event, in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projection.domain import labels
from projection.domain.events import Event, iso_time

Entry = dict[str, Any]


def entry(event: Event, version: int) -> Entry:
    """The history item a public event adds: {type, time, version, summary}.

    ``version`` is the institution's public version (institution.step numbers public events
    only); leads never get an entry.
    """
    describe = _SUMMARIES.get(event.name)
    summary = describe(event.data) if describe else "登记信息更新"
    return {"type": event.name, "time": iso_time(event.time), "version": version,
            "summary": summary}


def _received(data: dict[str, Any]) -> str:
    scope = "含" if data["elderly_care_scope"] else "不含"
    return f"收到市场监管部门推送的企业登记信息（经营范围{scope}养老服务）"


def _registration_changed(data: dict[str, Any]) -> str:
    return f"企业登记信息变更：{labels.field_names(data['changed_fields'])}"


def _filed(data: dict[str, Any]) -> str:
    text = f"完成备案，备案回执号 {data['receipt_no']}"
    if data["late"]:
        text += f"（逾期 {data['late_by_workdays']} 个工作日备案）"
    return text


def _filing_changed(data: dict[str, Any]) -> str:
    return f"备案事项变更：{labels.field_names(data['changed_fields'])}"


def _cancelled(data: dict[str, Any]) -> str:
    return f"注销备案，原因：{data['reason']}"


_SUMMARIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "EnterpriseRegistrationReceived": _received,
    "EnterpriseRegistrationChanged": _registration_changed,
    "InstitutionFiled": _filed,
    "InstitutionFilingChanged": _filing_changed,
    "InstitutionCancelled": _cancelled,
}
