"""Registry settings beyond the kernel's: rule numbers and the check interval (ELDERCARE_*)."""

from __future__ import annotations

from registry.domain.model import Rules
from shared.config import Settings, int_setting

# Working days after an unfiled episode begins (the push showing 养老服务, the push showing the
# enterprise active, or the cancellation of its filing: the latest) before it is flagged.
# UNCONFIRMED (domain.md §6/§8): no rule names such a grace period; 20 is a placeholder that
# mirrors the 20-working-day publication windows elsewhere. Configure, do not rely on it.
GRACE_WORKDAYS = ("ELDERCARE_UNFILED_GRACE_WORKDAYS", 20)
# 民政部令第66号: institutions with >= 10 beds file within 10 working days of first admission.
THRESHOLD_BEDS = ("ELDERCARE_FILING_THRESHOLD_BEDS", 10)
DEADLINE_WORKDAYS = ("ELDERCARE_FILING_DEADLINE_WORKDAYS", 10)
CHECK_SECONDS = ("ELDERCARE_UNFILED_CHECK_SECONDS", 3600)


def load_rules(settings: Settings) -> Rules:
    """The filing rules with any ELDERCARE_* overrides from the environment."""
    extra = settings.extra
    return Rules(filing_threshold_beds=int_setting(extra, *THRESHOLD_BEDS, 1),
                 filing_deadline_workdays=int_setting(extra, *DEADLINE_WORKDAYS),
                 unfiled_grace_workdays=int_setting(extra, *GRACE_WORKDAYS))


def check_interval_seconds(settings: Settings) -> int:
    """How often the scheduler runs the unfiled check."""
    return int_setting(settings.extra, *CHECK_SECONDS, 1)
