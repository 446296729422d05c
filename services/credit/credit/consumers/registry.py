"""Registry events → credit: filings (a level from the filing date on) and unfiled operation."""

from __future__ import annotations

from datetime import date

from credit.consumers.base import Effect, record
from credit.domain.credit_file import NoteFiling
from shared.envelope import Envelope

SOURCE = "registry"


def map_event(env: Envelope) -> list[Effect]:
    """InstitutionFiled opens the level (its own ``filed_on`` starts the neutral period, not the
    time it is processed); UnfiledOperationSuspected adds a record; the rest mean nothing."""
    d = env.data
    if env.name == "InstitutionFiled":
        return [NoteFiling(uscc=d["uscc"], filed_on=date.fromisoformat(d["filed_on"]),
                           source_event_id=env.id)]
    if env.name != "UnfiledOperationSuspected":
        return []
    return [record(env, d["uscc"], "unfiled_operation",
                   f"经营范围含养老服务，超过宽限期（{d['deadline']}）仍未备案", "detected_on")]
