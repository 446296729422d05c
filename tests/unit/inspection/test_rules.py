"""The inspection rules: each field's basis and tag, one ELDERCARE_* variable per field, errors."""

from __future__ import annotations

from inspection.config import ENV, load_rules
from inspection.domain.rules import Rules

from tests.unit.rules_contract import RulesContract


class TestRules(RulesContract):
    service = "inspection"
    rules = Rules
    env = ENV
    load = staticmethod(load_rules)
