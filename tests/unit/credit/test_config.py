"""Every rule number can be overridden from the environment; bad values fail loudly."""

from __future__ import annotations

import pytest
from credit.config import load_rules

from shared.config import Settings


def settings(**extra: str) -> Settings:
    return Settings(service="credit", extra={f"ELDERCARE_CREDIT_{k}": v for k, v in extra.items()})


def test_defaults_follow_the_documented_rules():
    r = load_rules(settings())
    p, lv, ls = r.penalty, r.level, r.listing
    assert (p.publish_within_workdays, p.withdraw_within_workdays) == (20, 3)
    assert (p.short_display_months, p.standard_display_months) == (3, 36)
    assert (ls.period_years, ls.removal_after_years) == (3, 2)
    assert {m.department for m in ls.measures} >= {"market_supervision", "finance",
                                                   "civil_affairs"}
    assert lv.weights["serious_dishonesty"] == 40


def test_overrides_from_the_environment():
    s = settings(LOW_FINE_FEN_BY_PROVINCE='{"11": 200000}', LISTING_YEARS="5",
                 MEASURES='[{"department": "health", "code": "x", "text": "限制医养结合项目"}]',
                 WEIGHTS='{"penalty": 30}')
    assert load_rules(s).penalty.low_fine_fen("110105") == 200_000
    assert load_rules(s).listing.period_years == 5
    assert [m.department for m in load_rules(s).listing.measures] == ["health"]
    assert load_rules(s).level.weights["penalty"] == 30


def test_bad_values_are_rejected():
    with pytest.raises(ValueError, match="LISTING_YEARS"):
        load_rules(settings(LISTING_YEARS="zero"))
    with pytest.raises(ValueError, match="MEASURES"):
        load_rules(settings(MEASURES="not json"))
