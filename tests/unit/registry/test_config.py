"""Rule numbers come from ELDERCARE_* variables with documented defaults."""

from __future__ import annotations

import pytest
from registry.config import load_rules
from registry.domain.rules import Rules

from shared.config import Settings


def settings(**env: str) -> Settings:
    return Settings.from_env("registry", env)


def test_defaults_are_ten_beds_ten_workdays_and_twenty_workdays_grace():
    assert load_rules(settings()) == Rules(10, 10, 20, 3600)


def test_environment_overrides_every_rule_number():
    s = settings(ELDERCARE_UNFILED_GRACE_WORKDAYS="15", ELDERCARE_FILING_THRESHOLD_BEDS="5",
                 ELDERCARE_FILING_DEADLINE_WORKDAYS="12", ELDERCARE_UNFILED_CHECK_SECONDS="60")
    assert load_rules(s) == Rules(5, 12, 15, 60)


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_invalid_numbers_fail_at_start_with_the_variable_named(value):
    with pytest.raises(ValueError, match="ELDERCARE_UNFILED_GRACE_WORKDAYS"):
        load_rules(settings(ELDERCARE_UNFILED_GRACE_WORKDAYS=value))
