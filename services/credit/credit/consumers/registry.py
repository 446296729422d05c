"""Registry events → credit: an enterprise operating elderly care without filing."""

from __future__ import annotations

from credit.consumers.base import Effect, record
from shared.envelope import Envelope

SOURCE = "registry"


def map_event(env: Envelope) -> list[Effect]:
    """UnfiledOperationSuspected adds a record; other registry events mean nothing here."""
    if env.name != "UnfiledOperationSuspected":
        return []
    d = env.data
    return [record(env, d["uscc"], "unfiled_operation",
                   f"经营范围含养老服务，超过宽限期（{d['deadline']}）仍未备案", "detected_on")]
