"""The public endpoints are documented without security; the officials' desk and dashboard
with a bearer token (freshness: tests/unit/test_openapi_current.py)."""

import json

from shared.http import openapi

PUBLIC = ("/api/v1/institutions", "/api/v1/institutions/{uscc}",
          "/open-data/institutions.json", "/open-data/institutions.csv")
OFFICIALS = ("/api/v1/desk", "/api/v1/dashboard")


def test_public_paths_need_no_token_and_the_officials_paths_do():
    paths = json.loads(openapi.render("projection"))["paths"]
    for path in PUBLIC:
        assert all("security" not in op for op in paths[path].values()), path
    for path in OFFICIALS:
        assert all(op.get("security") for op in paths[path].values()), path
