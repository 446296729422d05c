"""The checked-in OpenAPI documents must equal what the apps generate (run make openapi)."""

import pytest

from devtools.devstack.stack import discover_services
from shared.http.openapi import documented, path_for, render


@pytest.mark.parametrize("service", documented(discover_services()))
def test_checked_in_openapi_is_current(service):
    assert path_for(service).exists(), f"missing {path_for(service)}: run make openapi"
    assert path_for(service).read_text(encoding="utf-8") == render(service), (
        f"contracts/openapi/{service}.json is stale: run make openapi")
