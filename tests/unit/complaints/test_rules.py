"""The complaints rules: each field's basis and tag, one ELDERCARE_* variable per field, errors."""

from __future__ import annotations

from complaints.config import ENV, load_rules
from complaints.domain.rules import Rules

from tests.unit.rules_contract import RulesContract


class TestRules(RulesContract):
    service = "complaints"
    rules = Rules
    env = ENV
    load = staticmethod(load_rules)
