"""The public endpoints are documented (freshness: tests/unit/test_openapi_current.py)."""

from shared.http import openapi


def test_api_and_open_data_are_documented_without_security():
    spec = openapi.render("projection")
    for path in ("/api/v1/institutions", "/api/v1/institutions/{uscc}",
                 "/open-data/institutions.json", "/open-data/institutions.csv"):
        assert f'"{path}"' in spec
    assert '"security"' not in spec
