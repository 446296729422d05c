"""Fire-safety settings beyond the kernel's: rule numbers and the check interval (ELDERCARE_*).

The numbers come from 消防监督检查规定 (公安部令第120号) and GB 35181-2017, both seen only in
secondary copies (domain.md §5), so every one of them can be overridden.
"""

from __future__ import annotations

import dataclasses

from fire_safety.domain.model import Rules
from shared.config import Settings, int_setting

PREFIX = "ELDERCARE_FIRE_"
MINIMUMS = {"min_inspectors": 1, "collective_min": 1, "panel_min": 1, "panel_share_num": 1,
            "panel_share_den": 1, "max_deadline_workdays": 1}
CHECK_SECONDS = ("ELDERCARE_FIRE_CHECK_SECONDS", 3600)


def load_rules(settings: Settings) -> Rules:
    """Rules with overrides, e.g. ELDERCARE_FIRE_SERVICE_WORKDAYS=3."""
    values = {f.name: int_setting(settings.extra, PREFIX + f.name.upper(),
                                  f.default,  # type: ignore[arg-type]
                                  MINIMUMS.get(f.name, 0))
              for f in dataclasses.fields(Rules)}
    return Rules(**values)


def check_interval_seconds(settings: Settings) -> int:
    """How often the scheduler runs the overdue check."""
    return int_setting(settings.extra, *CHECK_SECONDS, 1)
