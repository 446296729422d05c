"""The generated OpenAPI document and the process entry points (no network needed)."""

from __future__ import annotations

import importlib
import json

import pytest

from shared.http.openapi import path_for, render

WRITES = ["/api/v1/inspections", "/api/v1/inspections/{inspection_id}/items",
          "/api/v1/inspections/{inspection_id}/completion",
          "/api/v1/inspections/{inspection_id}/corrections",
          "/api/v1/hazards/{hazard_id}/rectification-order",
          "/api/v1/hazards/{hazard_id}/extension", "/api/v1/hazards/{hazard_id}/reinspections",
          "/api/v1/hazards/{hazard_id}/expert-determination",
          "/api/v1/hazards/{hazard_id}/sealing", "/api/v1/checks/overdue",
          "/api/v1/checklist-templates/{template_id}/versions",
          "/api/v1/departments/{department}/officials",
          "/api/v1/departments/{department}/officials/{login}/deactivation"]


def test_every_write_endpoint_is_documented_with_bearer_auth():
    spec = json.loads(render("fire_safety"))
    for path in WRITES:
        assert spec["paths"][path]["post"]["security"] == [{"bearerAuth": []}]


def test_checked_in_openapi_is_current():
    assert path_for("fire_safety").read_text(encoding="utf-8") == render("fire_safety"), \
        "run: python -m shared.http.openapi fire_safety"


@pytest.mark.parametrize("module", ["fire_safety.relay", "fire_safety.scheduler",
                                    "fire_safety.wsgi", "fire_safety.bootstrap"])
def test_entry_points_import_without_doing_work(module):
    assert importlib.import_module(module)
