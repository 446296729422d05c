"""One module per source service, each mapping that service's events to credit effects.

A source module defines ``SOURCE`` (the service whose topic it reads) and
``map_event(env) -> list[Effect]``; it is found by package listing, so adding a source touches
no other module. Modules whose source has no published contracts yet are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from shared import contracts

NOT_SOURCES = {"base", "runner"}


def sources(require_contracts: bool = True) -> list[ModuleType]:
    """Every source module, by name; only those whose contracts exist unless told otherwise."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in NOT_SOURCES:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not require_contracts or contracts.known_event_types(module.SOURCE):
            found.append(module)
    return sorted(found, key=lambda m: m.SOURCE)
