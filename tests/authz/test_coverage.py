"""Every service with a write operation in its OpenAPI document has its authorization matrix
(tests/authz/test_<service>_matrix.py), so a new service cannot ship without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.devstack.stack import discover_services
from shared.http.openapi import documented
from tests.authz.matrix import write_operations

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("service", documented(discover_services()))
def test_every_service_that_writes_has_a_matrix(service):
    if write_operations(service):
        assert (HERE / f"test_{service}_matrix.py").exists(), (
            f"{service} has write operations but no tests/authz/test_{service}_matrix.py")
    else:
        # read-only services: the public site and the transparency log
        assert service in ("projection", "translog"), f"{service} has no write operation?"
