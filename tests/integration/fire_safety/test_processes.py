"""The scheduler entry point on a real MongoDB: seeds the default checklist, raises overdue once."""

from __future__ import annotations

from collections import Counter

from fire_safety import scheduler

from tests.integration.fire_safety.conftest import completed


def counts(store) -> Counter:
    return Counter(e.name for e in store.read_all())


def test_scheduler_once_seeds_the_checklist_and_flags_an_unserved_order_once(
        settings, store, call, monkeypatch):
    monkeypatch.setenv("MONGODB_URI", settings.mongodb_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    assert scheduler.main(["--once"]) == 0
    assert counts(store)["ChecklistTemplatePublished"] == 1
    # a month-old inspection: on the system clock its 3-working-day service window has passed
    assert completed(call, inspection_date="2026-10-20").status_code == 200
    assert scheduler.main(["--once"]) == 0
    assert scheduler.main(["--once"]) == 0
    found = counts(store)
    assert found["RectificationOrderServiceOverdue"] == 1
    assert found["ChecklistTemplatePublished"] == 1
