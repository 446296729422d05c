"""The desk: each official's open work items across every service (read by the console)."""

from __future__ import annotations

from projection.features import Feature
from projection.features.desk.api import blp

FEATURE = Feature(name="desk", api_blueprints=(blp,))
