"""The fire_safety rules: each field's basis and tag, one ELDERCARE_* variable per field, errors."""

from __future__ import annotations

from fire_safety.config import ENV, load_rules
from fire_safety.domain.rules import Rules

from tests.unit.rules_contract import RulesContract


class TestRules(RulesContract):
    service = "fire_safety"
    rules = Rules
    env = ENV
    load = staticmethod(load_rules)
