"""The credit rules: each field's basis and tag, one ELDERCARE_* variable per field, errors."""

from __future__ import annotations

import pytest
from credit.config import ENV, load_rules
from credit.domain.rules import Rules

from shared.config import Settings
from tests.unit.rules_contract import RulesContract


class TestRules(RulesContract):
    service = "credit"
    rules = Rules
    env = ENV
    load = staticmethod(load_rules)


def test_a_combination_the_level_rule_refuses_names_the_variable():
    with pytest.raises(ValueError, match="^ELDERCARE_CREDIT_FADE_OUT_MONTHS "):
        load_rules(Settings(service="credit",
                            extra={"ELDERCARE_CREDIT_FULL_WEIGHT_MONTHS": "40"}))
