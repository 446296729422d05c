"""The leaders' dashboard: counts per district and month across every service."""

from __future__ import annotations

from projection.features import Feature
from projection.features.dashboard.api import blp

FEATURE = Feature(name="dashboard", api_blueprints=(blp,))
