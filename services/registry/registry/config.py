"""Environment variables (ELDERCARE_*) onto the registry's Rules fields; nothing else."""

from __future__ import annotations

from registry.domain.rules import Rules
from shared.config import EnvVar, Settings, apply_env, integer

ENV = (
    EnvVar("ELDERCARE_FILING_THRESHOLD_BEDS", "filing_threshold_beds", integer(1)),
    EnvVar("ELDERCARE_FILING_DEADLINE_WORKDAYS", "filing_deadline_workdays", integer()),
    EnvVar("ELDERCARE_UNFILED_GRACE_WORKDAYS", "unfiled_grace_workdays", integer()),
    EnvVar("ELDERCARE_UNFILED_CHECK_SECONDS", "check_seconds", integer(1)),
)


def load_rules(settings: Settings) -> Rules:
    """The registry's rules with every ELDERCARE_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
