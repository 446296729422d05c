"""Environment variables (ELDERCARE_FIRE_*) onto the fire-safety Rules fields; nothing else."""

from __future__ import annotations

from fire_safety.domain.rules import Rules
from shared.config import EnvVar, Settings, apply_env, integer

ENV = (
    EnvVar("ELDERCARE_FIRE_MIN_INSPECTORS", "min_inspectors", integer(1)),
    EnvVar("ELDERCARE_FIRE_SERVICE_WORKDAYS", "service_workdays", integer()),
    EnvVar("ELDERCARE_FIRE_REINSPECTION_WORKDAYS", "reinspection_workdays", integer()),
    EnvVar("ELDERCARE_FIRE_COLLECTIVE_MIN", "collective_min", integer(1)),
    EnvVar("ELDERCARE_FIRE_PANEL_MIN", "panel_min", integer(1)),
    EnvVar("ELDERCARE_FIRE_PANEL_SHARE_NUM", "panel_share_num", integer(1)),
    EnvVar("ELDERCARE_FIRE_PANEL_SHARE_DEN", "panel_share_den", integer(1)),
    EnvVar("ELDERCARE_FIRE_MAX_DEADLINE_WORKDAYS", "max_deadline_workdays", integer(1)),
    EnvVar("ELDERCARE_FIRE_SEALING_CONFIRM_DAYS", "sealing_confirm_days", integer()),
    EnvVar("ELDERCARE_FIRE_CHECK_SECONDS", "check_seconds", integer(1)),
)


def load_rules(settings: Settings) -> Rules:
    """Rules with overrides, e.g. ELDERCARE_FIRE_SERVICE_WORKDAYS=3."""
    return apply_env(Rules, ENV, settings.extra)
