"""Public pages show an institution as it stood at the end of a past day."""

from __future__ import annotations

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s

CODE = s.uscc(100)


def test_detail_page_as_of_a_past_day_shows_the_state_of_that_day(apply_directly, client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    march = client.get(f"/institutions/{CODE}?as_of=2026-03-31").get_data(as_text=True)
    assert 'id="as-of"' in march and "已备案" in march and "已注销备案" not in march
    assert '<dd id="beds">120</dd>' in march and march.count('class="history-item"') == 2
    july = client.get(f"/institutions/{CODE}?as_of=2026-07-01").get_data(as_text=True)
    assert "已注销备案" in july and '<dd id="beds">150</dd>' in july
    now = client.get(f"/institutions/{CODE}").get_data(as_text=True)
    assert 'id="as-of"' not in now and now.count('class="history-item"') == 4


def test_a_day_before_the_first_event_has_nothing_to_show(apply_directly, client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    resp = client.get(f"/institutions/{CODE}?as_of=2025-12-31")
    assert resp.status_code == 404 and "该日尚无记录" in resp.get_data(as_text=True)


def test_api_as_of_matches_the_replay_and_today_matches_the_live_document(
        apply_directly, client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    march = client.get(f"/api/v1/institutions/{CODE}?as_of=2026-03-31").get_json()
    assert (march["beds"], march["version"], march["as_of"]) == (120, 2, "2026-03-31")
    assert march["filing_status"] == "filed"
    live = client.get(f"/api/v1/institutions/{CODE}").get_json()
    from shared.clock import SystemClock, china_today

    today = china_today(SystemClock()).isoformat()
    replayed = client.get(f"/api/v1/institutions/{CODE}?as_of={today}").get_json()
    assert {**replayed, "as_of": None} == live
    assert client.get(f"/api/v1/institutions/{CODE}?as_of=2099-01-01").status_code == 422
