"""The generated OpenAPI document and the process entry points (no network needed)."""

from __future__ import annotations

import importlib
import json
import sys

from shared.http.openapi import path_for, render

PATHS = {
    "/api/v1/enterprise-registrations/batch": {"post"},
    "/api/v1/institutions/{uscc}/filing": {"post", "patch"},
    "/api/v1/institutions/{uscc}/filing/cancellation": {"post"},
    "/api/v1/institutions/{uscc}": {"get"},
    "/api/v1/checks/unfiled": {"post"},
}


def test_openapi_documents_every_endpoint_with_bearer_auth():
    spec = json.loads(render("registry"))
    for path, methods in PATHS.items():
        operations = spec["paths"][path]
        assert methods <= set(operations)
        for method in methods:
            assert operations[method]["security"] == [{"bearerAuth": []}]


def test_openapi_documents_the_enterprise_record_of_a_batch():
    schemas = json.loads(render("registry"))["components"]["schemas"]
    records = schemas["RegistrationBatch"]["properties"]["records"]
    assert records["items"] == {"$ref": "#/components/schemas/EnterpriseRecord"}
    assert records["maxItems"] == 1000


def test_checked_in_openapi_is_current():
    assert path_for("registry").read_text(encoding="utf-8") == render("registry"), \
        "run: python -m shared.http.openapi registry"


def test_importing_the_wsgi_module_builds_nothing_until_app_is_asked_for():
    sys.modules.pop("registry.wsgi", None)
    wsgi = importlib.import_module("registry.wsgi")
    assert wsgi._app is None
    assert wsgi.app.name == "registry"
    assert wsgi.app is wsgi.app
