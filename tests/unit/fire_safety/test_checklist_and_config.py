"""Checklist templates are versioned; the default covers domain.md §5; rules are configurable."""

from __future__ import annotations

import pytest
from fire_safety.config import load_rules
from fire_safety.domain import checklist as cl
from fire_safety.domain.errors import InvalidCommand
from fire_safety.domain.model import ChecklistItem

from shared.config import Settings
from tests.unit.fire_safety.builders import MONDAY


def publish(state, cmd):
    events = cl.decide_publish(state, cmd)
    for e in events:
        state = cl.evolve(state, e)
    return state, events


def test_the_default_template_has_the_ten_checklist_areas_each_with_a_severity_hint():
    codes = [i.code for i in cl.DEFAULT_ITEMS]
    assert len(codes) == 10 == len(set(codes))
    assert {"exits_routes", "control_room", "evacuation_aids", "fire_approval"} <= set(codes)
    assert {i.severity_hint for i in cl.DEFAULT_ITEMS} == {"general", "major"}


def test_publishing_makes_versions_and_an_identical_republish_stores_nothing():
    state, events = publish(cl.initial(), cl.default_template_command(MONDAY))
    assert events[0].to_data()["template_version"] == 1
    assert cl.decide_publish(state, cl.default_template_command(MONDAY)) == []
    more = cl.PublishTemplate(cl.DEFAULT_TEMPLATE_ID, cl.DEFAULT_TITLE,
                              (*cl.DEFAULT_ITEMS, ChecklistItem("micro_station", "微型消防站",
                                                                "general")), MONDAY)
    state, events = publish(state, more)
    assert events[0].to_data()["template_version"] == 2
    assert state.version(1).items == cl.DEFAULT_ITEMS and len(state.latest.items) == 11


def test_duplicate_item_codes_are_refused():
    item = cl.DEFAULT_ITEMS[0]
    with pytest.raises(InvalidCommand):
        cl.decide_publish(cl.initial(), cl.PublishTemplate("t", "t", (item, item), MONDAY))


def test_rule_numbers_can_be_overridden_from_the_environment():
    settings = Settings(service="fire_safety", extra={"ELDERCARE_FIRE_SERVICE_WORKDAYS": "5",
                                                      "ELDERCARE_FIRE_PANEL_MIN": "9"})
    rules = load_rules(settings)
    assert (rules.service_workdays, rules.panel_min, rules.collective_min) == (5, 9, 3)
    with pytest.raises(ValueError):
        load_rules(Settings(service="fire_safety", extra={"ELDERCARE_FIRE_PANEL_MIN": "x"}))
