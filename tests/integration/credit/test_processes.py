"""The scheduler entry point on a real MongoDB: overdue disclosures are flagged once."""

from __future__ import annotations

from datetime import date

from credit import scheduler
from credit.app.penalties import record_penalty

from shared.clock import FixedClock
from tests.integration.credit.conftest import names
from tests.unit.credit.builders import china_noon, context, make_uscc, meta, penalty_cmd


def test_scheduler_once_flags_an_overdue_disclosure_once(settings, store, monkeypatch):
    old = FixedClock(china_noon(date(2026, 1, 5)))
    record_penalty(context(old, store), meta(), penalty_cmd(
        make_uscc(51), decided_on=date(2026, 1, 5), today=date(2026, 1, 5)))
    monkeypatch.setenv("MONGODB_URI", settings.mongodb_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    assert scheduler.main(["--once"]) == 0
    assert scheduler.main(["--once"]) == 0
    assert names(store).count("PenaltyDisclosureOverdue") == 1
