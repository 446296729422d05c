"""Suspected unfiled operation: on the civil-affairs page only, in no public response.

Every public response (directory page, institution page now and as of past days, JSON API
list and detail now and as of, open data JSON and CSV) is scanned for the suspicion flag
and any lead wording; the lead page answers civil affairs (and admin) only.
"""

from __future__ import annotations

import pytest

from tests.integration.projection.helpers import envelope
from tests.signer import mint
from tests.unit.projection import samples as s

NEVER = s.uscc(401)  # pushed, never filed, flagged
CANCELLED = s.uscc(402)  # filed, cancelled, flagged again
REFILED = s.uscc(403)  # flagged, then filed: the lead is closed
LEAD_WORDS = ("疑似", "未备案经营", "线索", "宽限期", "unfiled_suspected", "unfiled_detected",
              "UnfiledOperationSuspected", "detected_on")
DETECTED_DAYS = ("2026-02-04", "2026-07-29")  # shown only where the visitor typed them


def ev(name, data, version, day):
    return envelope(s.event(name, data, version, s.at(day)))


@pytest.fixture()
def leads(apply_directly):
    apply_directly(
        ev("EnterpriseRegistrationReceived", s.registration_received(NEVER), 1, "2026-01-06"),
        ev("UnfiledOperationSuspected", s.suspected(NEVER), 2, "2026-02-04"),
        ev("EnterpriseRegistrationReceived", s.registration_received(CANCELLED), 1,
           "2026-01-06"),
        ev("InstitutionFiled", s.filed(CANCELLED), 2, "2026-02-10"),
        ev("InstitutionCancelled", s.cancelled(CANCELLED), 3, "2026-06-30"),
        ev("UnfiledOperationSuspected", s.suspected(
            CANCELLED, basis="filing_cancelled", since="2026-06-30", deadline="2026-07-28",
            detected_on="2026-07-29"), 4, "2026-07-29"),
        ev("EnterpriseRegistrationReceived", s.registration_received(REFILED), 1,
           "2026-01-06"),
        ev("UnfiledOperationSuspected", s.suspected(REFILED), 2, "2026-02-04"),
        ev("InstitutionFiled", s.filed(REFILED, filed_on="2026-02-10"), 3, "2026-02-10"),
    )


def public_urls() -> list[str]:
    urls = ["/", "/?status=all", "/?status=cancelled", "/api/v1/institutions?status=all",
            "/open-data/institutions.json?status=all", "/open-data/institutions.csv?status=all",
            "/api/v1/openapi.json"]
    for code in (NEVER, CANCELLED, REFILED):
        for suffix in ("", "?as_of=2026-02-04", "?as_of=2026-07-29", "?as_of=2026-11-30"):
            urls += [f"/institutions/{code}{suffix}", f"/api/v1/institutions/{code}{suffix}"]
    return urls


def test_no_public_output_carries_the_suspected_unfiled_flag_or_lead_text(leads, client):
    for url in public_urls():
        resp = client.get(url)
        assert resp.status_code == 200, url
        text = resp.get_data(as_text=True)
        assert not [w for w in LEAD_WORDS if w in text], url
        assert not [d for d in DETECTED_DAYS if d in text and d not in url], url


def test_public_versions_have_no_gap_where_a_lead_was_raised(leads, client):
    shown = client.get(f"/api/v1/institutions/{REFILED}").get_json()
    assert shown["version"] == 2 and [h["version"] for h in shown["history"]] == [1, 2]
    assert shown["updated_at"].startswith("2026-02-10")
    assert shown["elderly_care_scope"] is True and shown["late"] is False


def get_leads(client, settings, role):
    headers = {"Authorization": f"Bearer {mint('u-1', role)}"} if role else {}
    return client.get("/regulator/unfiled-leads", headers=headers)


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("market_supervision", 403),
                                              ("fire_rescue", 403), ("civil_affairs", 200),
                                              ("admin", 200)])
def test_only_civil_affairs_sees_the_unfiled_operation_leads(leads, client, settings, role,
                                                             status):
    resp = get_leads(client, settings, role)
    assert resp.status_code == status
    assert (NEVER in resp.get_data(as_text=True)) is (status == 200)


def test_the_lead_page_lists_open_leads_and_closed_ones_with_the_reason(leads, client,
                                                                        settings):
    html = get_leads(client, settings, "civil_affairs").get_data(as_text=True)
    open_part, closed_part = html.split('id="closed-leads"')
    assert f'class="lead" data-uscc="{NEVER}"' in open_part
    assert f'class="lead" data-uscc="{CANCELLED}"' in open_part
    assert "备案已注销，仍存续且经营范围含养老服务" in open_part
    assert "渝民养备 2026-0001" in open_part
    assert f'data-uscc="{REFILED}"' in closed_part and "已备案" in closed_part
    assert 'id="open-count">2<' in html and 'id="closed-count">1<' in html
