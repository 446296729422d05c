"""Versioned checklist templates (消防检查表); the default follows domain.md §5."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from fire_safety.domain.errors import InvalidCommand, require
from fire_safety.domain.events import ChecklistTemplatePublished
from fire_safety.domain.model import LEVELS, ChecklistItem
from shared.domain import Event

DEFAULT_TEMPLATE_ID = "fire-default"
DEFAULT_TITLE = "养老机构消防安全检查表"
_ITEMS = (  # (code, title, severity hint): domain.md §5 checklist
    ("exits_routes", "安全出口、疏散通道畅通，无锁闭、堵塞，窗户无影响逃生的防盗网", "major"),
    ("emergency_lighting_signs", "应急照明、疏散指示标志完好有效", "general"),
    ("fire_facilities", "灭火器、室内消火栓、自动喷水灭火系统、火灾自动报警系统完好有效",
     "major"),
    ("annual_test_report", "建筑消防设施年度全面检测报告及维护保养记录", "general"),
    ("control_room", "消防控制室 24 小时双人值班，值班人员持消防设施操作员证书", "general"),
    ("wiring_fire_power_gas", "电气线路、用火用电用气规范，电动自行车不在室内或通道充电",
     "major"),
    ("combustible_decoration", "无大量可燃装修材料，未使用易燃可燃夹芯彩钢板", "major"),
    ("patrol_drill_logs", "防火巡查（含夜间巡查）、每月防火检查、演练和培训记录",
     "general"),
    ("evacuation_aids", "为不能自主行走的老年人配备疏散辅助器具并落实疏散预案",
     "general"),
    ("fire_approval", "消防设计审查、验收或备案手续", "general"),
)
DEFAULT_ITEMS = tuple(ChecklistItem(*row) for row in _ITEMS)


@dataclass(frozen=True)
class Template:
    """One version of a checklist template."""

    template_id: str
    version: int
    title: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Checklist:
    """All versions of one template (stream checklist-<template_id>)."""

    template_id: str = ""
    versions: dict[int, Template] = field(default_factory=dict)

    @property
    def latest(self) -> Template | None:
        return self.versions[max(self.versions)] if self.versions else None

    def version(self, number: int | None) -> Template | None:
        """The given version, or the latest when None."""
        return self.latest if number is None else self.versions.get(number)


@dataclass(frozen=True)
class PublishTemplate:
    """Publish a new version of a template (identical to the latest: nothing)."""

    template_id: str
    title: str
    items: tuple[ChecklistItem, ...]
    today: date


def check_items(items: tuple[ChecklistItem, ...]) -> None:
    """At least one item, unique codes, known severity hints."""
    codes = [i.code for i in items]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    bad = sorted({i.severity_hint for i in items} - set(LEVELS))
    require({"items": ["至少一项"] if not items else
             [f"编号重复：{', '.join(dupes)}"] if dupes else
             [f"未知严重程度：{', '.join(bad)}"] if bad else []})


def decide_publish(state: Checklist, cmd: PublishTemplate) -> list[ChecklistTemplatePublished]:
    """Version n+1 of the template; a re-send of the latest changes nothing."""
    check_items(cmd.items)
    latest = state.latest
    if latest and latest.title == cmd.title and latest.items == cmd.items:
        return []
    version = latest.version + 1 if latest else 1
    return [ChecklistTemplatePublished(
        template_id=cmd.template_id, template_version=version, title=cmd.title,
        items=cmd.items, published_on=cmd.today)]


def default_template_command(today: date) -> PublishTemplate:
    """The default template as a publish command (seeded on first use)."""
    return PublishTemplate(DEFAULT_TEMPLATE_ID, DEFAULT_TITLE, DEFAULT_ITEMS, today)


def require_version(state: Checklist, template_id: str, number: int | None) -> Template:
    """The template version an inspection uses, or InvalidCommand when it does not exist."""
    found = state.version(number)
    if found is None:
        raise InvalidCommand({"template_version": [
            f"检查表模板 {template_id} 没有版本 {number or '（任何）'}"]})
    return found


def initial() -> Checklist:
    return Checklist()


def evolve(state: Checklist, event: Event) -> Checklist:
    """Apply one stored event; other types leave the state as it is."""
    if not isinstance(event, ChecklistTemplatePublished):
        return state
    t = Template(event.template_id, event.template_version, event.title, event.items)
    return replace(state, template_id=t.template_id, versions={**state.versions, t.version: t})
