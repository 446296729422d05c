"""An EventConsumer handler per source: map the event, apply its effects."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from credit.app.common import Context, file_stream
from credit.consumers import base
from credit.domain.credit_file import NoteFiling
from shared.envelope import Envelope


class SourceHandler:
    """Handler of one source's topic; every effect is idempotent, so redelivery is harmless."""

    def __init__(self, ctx: Context, source: ModuleType) -> None:
        self.ctx, self.source = ctx, source

    def __call__(self, env: Envelope) -> None:
        if env.service != self.source.SOURCE:
            return  # another service's event on this topic (tests share topics): not ours
        base.apply(self.ctx, self.source.map_event(env), env)

    def batch(self, envs: Sequence[Envelope]) -> None:
        """A consumer's batch in order, with one read of which filed institutions already
        have a credit file (a filing's first level needs no read of an empty one)."""
        mapped = [(env, self.source.map_event(env)) for env in envs
                  if env.service == self.source.SOURCE]
        filings = sorted({file_stream(e.uscc) for _, effects in mapped for e in effects
                          if isinstance(e, NoteFiling)})
        files = self.ctx.store.existing(filings) if filings else set()
        for env, effects in mapped:
            base.apply(self.ctx, effects, env, files)
