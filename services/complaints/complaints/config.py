"""Environment variables (ELDERCARE_COMPLAINTS_*) onto the complaints Rules fields."""

from __future__ import annotations

from complaints.domain.rules import Rules, routing_from_json
from shared.config import EnvVar, Settings, apply_env, integer, json_value


def _categories(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("a list of categories")
    return tuple(str(v) for v in value)


ENV = (
    EnvVar("ELDERCARE_COMPLAINTS_ACCEPT_WORKDAYS", "accept_workdays", integer(1, 60)),
    EnvVar("ELDERCARE_COMPLAINTS_REPLY_WORKDAYS", "reply_workdays", integer(1, 60)),
    EnvVar("ELDERCARE_COMPLAINTS_URGENT_ACCEPT_WORKDAYS", "urgent_accept_workdays",
           integer(1, 60)),
    EnvVar("ELDERCARE_COMPLAINTS_URGENT_REPLY_WORKDAYS", "urgent_reply_workdays",
           integer(1, 60)),
    EnvVar("ELDERCARE_COMPLAINTS_URGENT_CATEGORIES", "urgent_categories",
           json_value(_categories)),
    EnvVar("ELDERCARE_COMPLAINTS_ROUTING", "routing", json_value(routing_from_json)),
    EnvVar("ELDERCARE_COMPLAINTS_CHECK_SECONDS", "check_seconds", integer(1)),
)
PUBLIC_RATE_ENV = "ELDERCARE_COMPLAINTS_PUBLIC_RATE_LIMIT"
# the public site is the usual caller of the public endpoints: it limits each person itself
PUBLIC_RATE = "20 per second; 600 per minute"


def load_rules(settings: Settings) -> Rules:
    """The complaint rules with every ELDERCARE_COMPLAINTS_* override applied."""
    return apply_env(Rules, ENV, settings.extra)
