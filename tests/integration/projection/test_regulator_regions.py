"""Department pages show only what lies within the signed-in official's regions.

Tokens of a 渝中区 (500103) and a 南岸区 (500108) civil-affairs official; one record outside
the caller's regions is a 403 page in Chinese; counts are counted over what is shown.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.integration.projection.helpers import envelope
from tests.signer import mint
from tests.unit.projection import samples as s

YUZHONG, NANAN = "500103", "500108"
DISTRICTS = (YUZHONG, NANAN, "500104", "500112", "500230", "510104")
CODES = {d: s.uscc(500 + i) for i, d in enumerate(DISTRICTS)}
REGIONS = ("100000", "50", "51", "5001", "5002", "5101", *DISTRICTS)


def ev(name, data, version, day):
    return envelope(s.event(name, data, version, s.at(day)))


@pytest.fixture()
def world(apply_directly):
    """One filed institution and one open unfiled-operation lead per district."""
    envs = []
    for district, code in CODES.items():
        envs.append(ev("InstitutionFiled", s.filed(code, district_code=district), 1,
                       "2026-02-10"))
    for i, district in enumerate(DISTRICTS):
        lead = s.uscc(600 + i)
        envs += [ev("EnterpriseRegistrationReceived",
                    s.registration_received(lead, district_code=district), 1, "2026-01-06"),
                 ev("UnfiledOperationSuspected", s.suspected(lead, district_code=district),
                    2, "2026-02-04")]
    apply_directly(*envs)
    return {s.uscc(600 + i): d for i, d in enumerate(DISTRICTS)}


def as_official(regions):
    token = mint("clerk-1", "civil_affairs", regions=tuple(regions))
    return {"Authorization": f"Bearer {token}"}


def listed(html):
    return set(re.findall(r'class="lead" data-uscc="([^"]+)"', html))


@pytest.mark.parametrize(("region", "other"), [(YUZHONG, NANAN), (NANAN, YUZHONG)])
def test_a_district_official_sees_the_leads_of_that_district_only(world, client, region,
                                                                   other):
    resp = client.get("/regulator/unfiled-leads", headers=as_official([region]))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    mine = {u for u, d in world.items() if d == region}
    assert listed(html) == mine
    assert not [u for u, d in world.items() if d == other and u in html]
    assert 'id="open-count">1<' in html  # counted over the filtered set


def test_a_national_official_sees_every_lead(world, client):
    html = client.get("/regulator/unfiled-leads",
                      headers=as_official(["100000"])).get_data(as_text=True)
    assert listed(html) == set(world)
    assert f'id="open-count">{len(world)}<' in html


def test_one_record_outside_the_regions_is_a_403_page_in_chinese(world, client):
    url = f"/escrow/regulator/{CODES[NANAN]}"
    refused = client.get(url, headers=as_official([YUZHONG]))
    assert refused.status_code == 403
    assert "不在您的辖区内" in refused.get_data(as_text=True)
    assert client.get(url, headers=as_official([NANAN])).status_code != 403
    assert client.get(url, headers=as_official(["5001"])).status_code != 403


def test_public_pages_stay_unfiltered_and_need_no_sign_in(world, client):
    html = client.get("/?status=all").get_data(as_text=True)
    assert all(code in html for code in CODES.values())


@hsettings(max_examples=25, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(regions=st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3))
def test_no_listed_row_lies_outside_the_callers_regions(world, client, regions):
    html = client.get("/regulator/unfiled-leads",
                      headers=as_official(regions)).get_data(as_text=True)
    shown = listed(html)
    expected = {u for u, d in world.items()
                if any(r == "100000" or d.startswith(r) for r in regions)}
    assert shown == expected
