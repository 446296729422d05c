"""The risk rules: each field's basis and tag, one ELDERCARE_* variable per field, errors."""

from __future__ import annotations

from risk.config import ENV, load_rules
from risk.domain.rules import Rules

from tests.unit.rules_contract import RulesContract


class TestRules(RulesContract):
    service = "risk"
    rules = Rules
    env = ENV
    load = staticmethod(load_rules)
