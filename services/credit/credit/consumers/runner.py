"""An EventConsumer handler per source: map the event, apply its effects."""

from __future__ import annotations

from types import ModuleType

from credit.app.common import Context
from credit.consumers import base
from shared.envelope import Envelope


class SourceHandler:
    """Handler of one source's topic; every effect is idempotent, so redelivery is harmless."""

    def __init__(self, ctx: Context, source: ModuleType) -> None:
        self.ctx, self.source = ctx, source

    def __call__(self, env: Envelope) -> None:
        if env.service != self.source.SOURCE:
            return  # another service's event on this topic (tests share topics): not ours
        base.apply(self.ctx, self.source.map_event(env), env)
